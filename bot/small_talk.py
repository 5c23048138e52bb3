"""Help asked in words, and a greeting: what people type before they know the commands.

"怎么用", "你能干什么", "怎么报进展" deserve the /help page, and "你好" the /start greeting
(who the bot takes you for and what to do next) rather than "not understood". Whole short
messages only: "帮助企业整改" is a report, not a request for help.
"""

from __future__ import annotations

import re
import unicodedata

_TAIL = r"[\s?？。.!！~～,，啊呀呢吗嘛哈]*$"
_HELP = re.compile(
    r"^(?:请问|请|麻烦)?(?:帮助|求助|使用说明|说明书|操作说明|使用方法|用法|帮助文档|菜单|功能列表|命令列表|指令|"
    r"怎么用|如何使用|怎么使用|怎样使用|咋用|这个怎么用|你能干什么|你能做什么|你会什么|你会干什么|能干什么|能做什么|"
    r"有什么功能|有哪些功能|都有什么功能|怎么报进展|怎么报送进展|怎么报送|如何报送|怎么汇报|如何汇报|怎么上报|如何上报|"
    r"报送格式|怎么填报|怎么报|进展怎么报|怎么提交|怎么发照片|怎么上传材料|"
    r"(?:怎么|如何|怎样)(?:申请)?(?:延期|销号)|(?:延期|销号)(?:怎么|如何)(?:申请|办|弄)|(?:延期|销号)(?:的)?(?:流程|手续)(?:是什么|有哪些|怎么走)?|"
    r"help|help me|how to use|how do i use this|what can you do|how do i report|commands|"
    r"how (?:do|can|should) i (?:ask for|request|apply for|get) (?:an? )?(?:extension|sign-?off)|"
    r"how (?:do|can) i (?:extend|sign off)(?: a task)?)" + _TAIL,
    re.I,
)
_GREETING = re.compile(
    r"^(?:你好|您好|你们好|大家好|在吗|在不在|哈喽|嗨|早|早上好|上午好|中午好|下午好|晚上好|早安|"
    r"hello|hi|hey|good morning|good afternoon)" + _TAIL,
    re.I,
)


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def asks_for_help(text: str) -> bool:
    return bool(_HELP.match(_clean(text)))


def is_greeting(text: str) -> bool:
    return bool(_GREETING.match(_clean(text)))
