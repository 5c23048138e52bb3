"""Who the user is to the bot: binding, roles and language."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.turns import Turn
from storage import people

ROLE_ORDER = ("admin", "leader", "member", "observer")


@dataclass(frozen=True)
class Identity:
    name: str
    unit: str | None
    roles: tuple[str, ...]
    bound: bool


# "我是什么权限", "我有哪些权限？", "我的角色是什么", "我能做什么": a question about oneself,
# never a self-introduction; "我的权限能改成管理员吗", "给我开通管理员权限": asking for more,
# answered with what one has and who changes it.
_OWN_ROLE = re.compile(
    r"^(?:请问|问一下)?\s*我(?:现在|目前)?(?:的|是|有|属于)?(?:什么|哪些|哪种|啥|几个)?(?:权限|角色|身份)"
    r"(?:是(?:什么|啥|哪些)|有哪些)?[吗呢啊？?。]*$"
    r"|^(?:请问)?\s*我(?:现在|目前)?(?:能|可以)(?:做|干|用)(?:什么|哪些|啥)(?:事|功能)?[吗呢啊？?。]*$"
    r"|^我的?(?:权限|角色|身份)(?:能不能|能否|能|可以|可不可以)?(?:改成|改为|升级为?|调整为?|提升为?|换成)\S{0,8}[吗呢啊？?。]*$"
    r"|^(?:请|麻烦)?(?:能不能|能否|可以|可不可以)?(?:给我|帮我|为我)(?:的账号)?(?:开通|加上?|升级为?|设为|改成|改为)\S{1,8}?(?:权限|角色|身份)[吗呢啊？?。]*$"
    r"|^我(?:想|要|想要|需要)(?:申请|开通)?\S{1,8}?(?:权限|角色|身份)[吗呢啊？?。]*$"
)


def asks_own_role(text: str) -> bool:
    return len(text) <= 30 and _OWN_ROLE.match(text.strip()) is not None


async def identity(turn: Turn) -> Identity:
    """What /start and /help need to know about the person behind the update."""
    roles = tuple(r for r in ROLE_ORDER if r in turn.roles)
    if turn.person is not None:
        unit = await people.unit_name(turn.session, turn.person.unit_id)
        return Identity(turn.person.name, unit, roles, True)
    name = turn.user.first_name if turn.user else ""
    return Identity(name, None, roles, turn.is_admin)


async def set_language(session: AsyncSession, turn: Turn, lang: str) -> None:
    if turn.user is not None:
        turn.user.language = lang
        turn.user.language_chosen = True
        await session.flush()
    turn.lang = lang
