"""Fixed codes of the methodology: groups, indicators, source kinds, placeholders.

Weights and multipliers are methodology data (``scoring/methodologies``); only the codes,
which the methodology declares stable, live here.
"""
from __future__ import annotations

GROUPS: dict[str, str] = {
    "E": "Эффективно",
    "D": "Дружелюбно",
    "P": "Персонально",
    "K": "Комфортно",
    "L": "Легко",
}

# indicator code -> group code
INDICATOR_GROUPS: dict[str, str] = {
    "E1": "E", "E2": "E", "E3": "E",
    "D1": "D", "D2": "D", "D3": "D",
    "P1": "P", "P2": "P",
    "K1": "K", "K2": "K", "K3": "K", "K4": "K",
    "L1": "L", "L2": "L", "L3": "L", "L4": "L", "L5": "L", "L6": "L",
}
INDICATORS: tuple[str, ...] = tuple(INDICATOR_GROUPS)

INDICATOR_NAMES: dict[str, str] = {
    "E1": "Эффективность/полезность обращения в ЦЗН",
    "E2": "Динамика роста базы вакансий",
    "E3": "Проведение мероприятий, стимулирующих рост базы соискателей",
    "D1": "Уровень профессиональных компетенций сотрудников",
    "D2": "Уровень коммуникативных компетенций сотрудников",
    "D3": "Открытость руководства",
    "P1": "Наличие личного (прикрепленного) консультанта",
    "P2": "Учет личных обстоятельств",
    "K1": "Комфортность условий для получения услуг (условия приема посетителей)",
    "K2": "Согласованность действий между подразделениями СЗН (глазами клиента)",
    "K3": "Транспортная доступность",
    "K4": "Внешний вид сотрудников",
    "L1": "Доступность и понятность информации о сервисах и СЗН в целом",
    "L2": "Наличие сайта",
    "L3": "Многоканальность и омниканальность взаимодействия",
    "L4": "Быстрое реагирование на запрос клиента",
    "L5": "Простота процедур, в т.ч. в части заполнения документов",
    "L6": "Возможность предварительной записи на прием",
}

# Source kinds of METHODOLOGY §6.
SOURCE_KINDS: tuple[str, ...] = (
    "social", "review", "media", "call_center", "complaint_book", "sms", "email", "survey_comment",
)

RESPONDENT_TYPES: tuple[str, ...] = ("job_seeker", "employer")

INDICATOR_FLAGS: tuple[str, ...] = ("partial", "missing", "text_only")
REGION_FLAGS: tuple[str, ...] = ("insufficient_sample",)

# Columns of the index input tables (INTERFACES.md): readers, the engine and the store share them.
SURVEY_COLUMNS: tuple[str, ...] = (
    "respondent_id", "respondent_type", "region", "center_id", "period", "indicator", "answer",
)
OBJECTIVE_COLUMNS: tuple[str, ...] = ("region", "center_id", "period", "indicator", "fulfilled", "required")
MENTION_COLUMNS: tuple[str, ...] = ("region", "center_id", "period", "indicator", "sentiment")
