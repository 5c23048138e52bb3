"""Typed models of DESIGN.md's data model.

Progress lives per (task, unit) in ``TaskUnit`` because one county's 已完成 must not
complete a task shared by 各县(市、区). Delivery state (outbox, handled updates,
schedule runs) lives here too, so exactly-once comes from unique keys, not from
how many processes run.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}



class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes on every backend: SQLite would otherwise hand back naive ones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored; use the bot clock")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


TS = UTCDateTime()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Plan(Base):
    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    issuer: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int | None]
    source_name: Mapped[str] = mapped_column(Text, default="")
    source_sha256: Mapped[str] = mapped_column(String(64), index=True)
    imported_at: Mapped[datetime] = mapped_column(TS)
    aliases: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    tasks: Mapped[list[Task]] = relationship(back_populates="plan", order_by="Task.id")


class Unit(Base):
    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class UnitAlias(Base):
    """Another name of a unit (市扬尘办 → 市城管局), used by import, binding and matching."""

    __tablename__ = "unit_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    alias: Mapped[str] = mapped_column(String(200), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))


class Person(Base):
    __tablename__ = "persons"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    post: Mapped[str] = mapped_column(Text, default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    roles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    unit: Mapped[Unit | None] = relationship()


class TelegramUser(Base):
    """A Telegram account as the bot has seen it, bound or not.

    Kept apart from Person because language and reachability matter before a
    binding exists (an unbound official still gets Chinese or English replies).
    """

    __tablename__ = "telegram_users"
    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    first_name: Mapped[str] = mapped_column(Text, default="")
    username: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(10))
    language_chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen: Mapped[datetime] = mapped_column(TS)
    last_seen: Mapped[datetime] = mapped_column(TS)
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text, default="")
    problem: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    immediate: Mapped[bool] = mapped_column(Boolean, default=False)
    ongoing: Mapped[bool] = mapped_column(Boolean, default=False)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    principals: Mapped[list[Any]] = mapped_column(JSON, default=list)
    imported_progress: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    plan: Mapped[Plan] = relationship(back_populates="tasks")
    measures: Mapped[list[Measure]] = relationship(order_by="Measure.no", cascade="all, delete-orphan")
    milestones: Mapped[list[Milestone]] = relationship(
        order_by="Milestone.position", cascade="all, delete-orphan"
    )
    parties: Mapped[list[TaskParty]] = relationship(cascade="all, delete-orphan")


class Milestone(Base):
    __tablename__ = "milestones"
    # The daily push finds the open milestones due by a date from this index alone.
    __table_args__ = (Index("ix_milestones_due_open", "due", "done_at", "task_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    start: Mapped[date | None] = mapped_column(Date)
    due: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[datetime | None] = mapped_column(TS)


class Measure(Base):
    __tablename__ = "measures"
    __table_args__ = (UniqueConstraint("task_id", "no"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    no: Mapped[int]
    text: Mapped[str] = mapped_column(Text)


class TaskParty(Base):
    """Who is named on a task, and as what (leader, lead, responsible, supporting, supervising)."""

    __tablename__ = "task_parties"
    # A task's leaders (for the escalation) are read from the index, never the table.
    __table_args__ = (Index("ix_task_parties_task_kind", "task_id", "kind", "person_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Named by an admin (/units assign), not by the document: a re-import keeps it.
    assigned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    unit: Mapped[Unit | None] = relationship()
    person: Mapped[Person | None] = relationship()


class TaskUnit(Base):
    """One unit's share of a task: progress, last report and sign-off are per unit."""

    __tablename__ = "task_units"
    __table_args__ = (
        UniqueConstraint("task_id", "unit_id"),
        # Covers the daily push's question (which shares of a task are open and unreported):
        # at 100,000 tasks, reading the table row by row instead was a fifth of the query.
        Index(
            "ix_task_units_task_open", "task_id", "unit_id", "signed_off_at", "signoff_state", "status", "last_report_at"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[str | None] = mapped_column(String(20))
    percent: Mapped[int | None]
    last_report_at: Mapped[datetime | None] = mapped_column(TS)
    signoff_state: Mapped[str] = mapped_column(String(20), default="none")
    signed_off_at: Mapped[datetime | None] = mapped_column(TS)


class Report(Base):
    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    measure_no: Mapped[int | None]
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    text: Mapped[str] = mapped_column(Text)
    percent: Mapped[int | None]
    status_word: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(TS, index=True)
    update_id: Mapped[int | None] = mapped_column(BigInteger)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    score: Mapped[float | None]
    intent: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20), default="chat")
    undone: Mapped[bool] = mapped_column(Boolean, default=False)


class Evidence(Base):
    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    kind: Mapped[str] = mapped_column(String(20))
    tg_file_id: Mapped[str] = mapped_column(Text)
    tg_file_unique_id: Mapped[str] = mapped_column(String(100), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    stored_path: Mapped[str] = mapped_column(Text)
    size: Mapped[int]
    mime_type: Mapped[str | None] = mapped_column(String(100))
    original_name: Mapped[str | None] = mapped_column(Text)
    caption: Mapped[str | None] = mapped_column(Text)
    media_group_id: Mapped[str | None] = mapped_column(String(100), index=True)
    created_at: Mapped[datetime] = mapped_column(TS)


class SignOff(Base):
    __tablename__ = "signoffs"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    summary: Mapped[str] = mapped_column(Text, default="")
    requested_at: Mapped[datetime] = mapped_column(TS)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    decided_at: Mapped[datetime | None] = mapped_column(TS)
    reason: Mapped[str | None] = mapped_column(Text)


class Extension(Base):
    __tablename__ = "extensions"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestones.id"))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    new_due: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    requested_at: Mapped[datetime] = mapped_column(TS)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    decided_at: Mapped[datetime | None] = mapped_column(TS)
    decision_reason: Mapped[str | None] = mapped_column(Text)


class GroupChat(Base):
    """A work group registered to one unit (or the 整改办), which bounds what it may see."""

    __tablename__ = "group_chats"
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    is_office: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_at: Mapped[datetime] = mapped_column(TS)


class Outbox(Base):
    """Everything the bot sends, written in the transaction that decided to send it.

    ``key`` is unique: (person, kind, period) for pushes, (update, n) for replies,
    so deciding twice cannot queue twice.
    """

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    method: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    push: Mapped[bool] = mapped_column(Boolean, default=False)
    update_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime | None] = mapped_column(TS)
    created_at: Mapped[datetime] = mapped_column(TS)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_at: Mapped[datetime | None] = mapped_column(TS)
    sent_at: Mapped[datetime | None] = mapped_column(TS)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)


class HandledUpdate(Base):
    """An update whose effects are committed; a redelivery finds it and changes nothing."""

    __tablename__ = "handled_updates"
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    handled_at: Mapped[datetime] = mapped_column(TS, index=True)


class Schedule(Base):
    __tablename__ = "schedules"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    rule: Mapped[str] = mapped_column(String(30))
    at: Mapped[str] = mapped_column(String(5))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class ScheduleRun(Base):
    """One slot of a schedule that has run; the unique slot makes firing idempotent."""

    __tablename__ = "schedule_runs"
    __table_args__ = (UniqueConstraint("schedule_id", "slot"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"))
    slot: Mapped[datetime] = mapped_column(TS)
    ran_at: Mapped[datetime] = mapped_column(TS)
    outcome: Mapped[str] = mapped_column(String(20), default="ran")


class KeyValue(Base):
    """Small facts the bot must remember once (e.g. that admins were warned about a year)."""

    __tablename__ = "kv"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)


class AuditEvent(Base):
    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(TS)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60), index=True)
    subject: Mapped[str] = mapped_column(String(200), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_mac: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The single row appends lock on, so two writers cannot fork the chain."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer, default=0)
    mac: Mapped[str] = mapped_column(String(64), default="")


class Invitation(Base):
    __tablename__ = "invitations"
    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    name: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str | None] = mapped_column(String(20))
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(TS)
    expires_at: Mapped[datetime] = mapped_column(TS)
    used_at: Mapped[datetime | None] = mapped_column(TS)
    used_by: Mapped[int | None] = mapped_column(BigInteger)
