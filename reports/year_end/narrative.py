"""The year-end summary as the documents write it: the report's figures in Chinese sentences.

Money is in 亿元 with at most 4 decimals (in 万元 below 1亿元), growth and shares in %
with 2 decimals or, across a loss, as 由盈转亏 / 减亏…, a change of growth in percentage
points ("增速比1-9月加快0.8个百分点"), each written by parkportal.display. Every
number comes from the report's dataclasses; nothing is computed here but the wording.
"""

from decimal import Decimal

from django.conf import settings

from parkportal.display import (
    amount,
    area,
    growth_phrase,
    money_text,
    percent,
    point_change_phrase,
)
from services.domain import count_text

from ..figures import IndicatorFigures
from .attraction import EventLine, LeadLine
from .builder import YearEndReport
from .plan import plan_paragraphs
from .projects import NAMES_IN_TEXT, ProjectFigures


def narrative(report: YearEndReport) -> list[str]:
    """Return the report's paragraphs, in the order of the tables."""
    paragraphs = [
        _enterprises_and_indicators(report),
        _targets(report),
        _projects(report.projects, report),
        _fai(report),
        _bonds(report),
        _money_and_land(report),
        _attraction(report),
        _services(report),
    ]
    paragraphs += plan_paragraphs(report.plan, report.period, report.park_code)
    return [paragraph for paragraph in paragraphs if paragraph]


def _amount(line: IndicatorFigures, value: Decimal | None) -> str:
    return amount(value, line.unit, is_money=line.is_money)


def _enterprises_and_indicators(report: YearEndReport) -> str:
    period, enterprises = report.period, report.enterprises
    categories = "、".join(
        f"{category.label}{category.count}家"
        for category in enterprises.by_category
        if category.count
    )
    text = (
        f"截至{period.year}年{period.month}月末，{report.park_name}有入统企业"
        f"{enterprises.statistical}家，其中四上企业{enterprises.above_scale}家"
        + (f"（{categories}）" if categories else "")
        + f"；本年新设立企业{enterprises.new}家，其中入统{enterprises.new_statistical}家。"
    )
    clauses = []
    for line in report.indicators:
        if line.current is None:
            continue
        clause = f"{line.name}{_amount(line, line.current)}，{growth_phrase(line.growth.change)}"
        if line.point_change is not None:
            if line.point_change == 0:
                clause += f"，增速与{period.previous_label}持平"
            else:
                clause += f"，增速比{period.previous_label}{point_change_phrase(line.point_change)}"
        clauses.append(clause)
    if clauses:
        text += f"{period.year}年{period.label}份，" + "；".join(clauses) + "。"
    else:
        text += f"{period.year}年{period.label}份暂无入统企业的月度指标数据。"
    return text


def _targets(report: YearEndReport) -> str:
    with_target = [
        f"{line.name}年度目标{_amount(line, line.target)}，完成{percent(line.completion)}"
        for line in report.indicators
        if line.target is not None
    ]
    forecasts = [
        f"{line.name}{_amount(line, line.forecast)}"
        + (f"，{growth_phrase(line.forecast_growth)}" if line.forecast_growth is not None else "")
        for line in report.indicators
        if line.forecast is not None
    ]
    sentences = []
    if with_target:
        sentences.append("；".join(with_target) + f"，时间进度为{percent(report.time_progress)}。")
    if forecasts:
        sentences.append("预计全年完成" + "；".join(forecasts) + "。")
    return "".join(sentences)


def _names(lines) -> str:
    return "、".join(f"{line.name}完成投资{money_text(line.completed or 0)}" for line in lines)


def _projects(projects: ProjectFigures, report: YearEndReport) -> str:
    total = projects.total
    carried_out = total.group("carried_out")
    if not carried_out.count:
        return f"{report.period.year}年截至{report.period.month}月末，没有实施中的项目。"
    new, continuing = total.group("new"), total.group("continuing")
    completed, production = total.group("completed"), total.group("production")
    text = (
        f"{report.period.year}年截至{report.period.month}月末，实施项目{carried_out.count}个，"
        f"总投资{money_text(carried_out.total_investment)}，"
        f"本年完成投资{money_text(carried_out.completed)}；其中新开工项目{new.count}个，"
        f"完成投资{money_text(new.completed)}，续建项目{continuing.count}个，"
        f"完成投资{money_text(continuing.completed)}。"
        f"本年竣工项目{completed.count}个，其中投产{production.count}个。"
    )
    for category in projects.by_category:
        if not category.group("carried_out").count:
            continue
        parts = []
        for key, label in (("continuing", "续建"), ("new", "新开工")):
            group = category.group(key)
            if not group.count:
                continue
            named = projects.named.get((category.category, key))
            parts.append(f"{label}项目{group.count}个" + (f"（{_names(named)}）" if named else ""))
        text += (
            f"{category.label}："
            + "，".join(parts)
            + f"，本年完成投资{money_text(category.group('carried_out').completed)}。"
        )
    return text


def _fai(report: YearEndReport) -> str:
    fai = report.fai
    if not fai.total:
        return ""
    return (
        f"本年实施项目完成固定资产投资{money_text(fai.total)}，"
        f"其中政府财政性投资{money_text(fai.government)}，占总投资{percent(fai.government_share)}，"
        f"社会资本投资{money_text(fai.social)}，占{percent(fai.social_share)}。"
    )


def _bonds(report: YearEndReport) -> str:
    bonds = report.bonds
    if not bonds.lines:
        return ""
    text = (
        f"专项债券资金累计到位{money_text(bonds.total)}，"
        f"其中{report.period.year}年到位{money_text(bonds.this_year)}"
    )
    received = [line for line in bonds.lines if line.this_year]
    if 0 < len(received) <= NAMES_IN_TEXT:
        text += (
            "（"
            + "；".join(
                f"{line.name}本年到位{money_text(line.this_year)}，累计到位{money_text(line.total)}"
                for line in received
            )
            + "）"
        )
    return text + "。"


def _money_and_land(report: YearEndReport) -> str:
    """Budgets, bonds applied for, the funding gap, land, financing and lights, in the
    documents' words ("批准了…初设概算17.8亿元", "明年又申报了3.7亿元")."""
    figures, year = report.money_land, report.period.year
    if figures.is_empty:
        return ""
    parts = []
    if 0 < len(figures.budgets) <= NAMES_IN_TEXT:
        parts.append(
            "批准了"
            + "，".join(f"{line.name}概算{money_text(line.budget)}" for line in figures.budgets)
        )
    if figures.bonds_applied:
        parts.append(f"{year}年申报专项债券{money_text(figures.bonds_applied)}")
    if figures.bonds_applied_next_year:
        parts.append(f"明年又申报了{money_text(figures.bonds_applied_next_year)}")
    if figures.budgets:
        parts.append(f"有概算的项目资金缺口约{money_text(figures.gap)}")
    land = figures.land_total
    if land.count:
        ways = "、".join(f"{t.label}{area(t.area)}" for t in figures.land)
        parts.append(f"供应土地{land.count}宗{area(land.area)}（{ways}）")
    if figures.financing:
        parts.append(f"帮助融资到位{money_text(figures.financing_total)}")
    if figures.meetings:
        parts.append(f"组织召开重点项目调度会{figures.meetings}次")
    if figures.lights:
        lights = "、".join(f"{label}{n}个" for label, n in figures.lights.items())
        parts.append(f"在建项目{lights}")
    return "，".join(parts) + "。" if parts else ""


def _lead_names(lines: list[LeadLine], *, land: bool) -> str:
    if not 0 < len(lines) <= NAMES_IN_TEXT:
        return ""
    names = []
    for line in lines:
        name = f"{line.name}计划投资{money_text(line.planned_investment)}"
        if land and line.land_area_mu:
            name += f"，占地{area(line.land_area_mu)}"
        names.append(name)
    return "（" + "；".join(names) + "）"


def _fair(fair: EventLine) -> str:
    """Return a fair as the documents write it: "7月6日，成功举办…推介会，现场集中签约了
    总投资98.61亿元的5个项目" (what it signed as its record says)."""
    text = f"{fair.day_label}，成功举办{fair.name}"
    if fair.contracts_signed:
        invested = f"总投资{money_text(fair.signed_amount)}的" if fair.signed_amount else ""
        text += f"，现场集中签约了{invested}{fair.contracts_signed}个项目"
    return text


def _fairs(fairs: list[EventLine], opening: str = "", many: str = "") -> str:
    """Return the fairs' sentence after `opening`, each fair named, or, when there are
    many, their sum after `many`."""
    if not fairs:
        return ""
    if len(fairs) <= NAMES_IN_TEXT:
        return opening + "；".join(_fair(fair) for fair in fairs) + "。"
    contracts = sum(fair.contracts_signed or 0 for fair in fairs)
    amount = sum((fair.signed_amount or 0 for fair in fairs), Decimal(0))
    text = f"{many}举办招商推介会{len(fairs)}次"
    if contracts:
        text += f"，现场集中签约项目{contracts}个" + (
            f"、总投资{money_text(amount)}" if amount else ""
        )
    return text + "。"


def _attraction(report: YearEndReport) -> str:
    """Write the investment attraction as the documents do: "今年上半年，全县“走出去”开展
    招商对接活动37次，共对接招商项目76个、总投资115.02亿元，其中签约落地项目18个、总投资
    59.68亿元。", then the other kinds of events, the channels, how far the signed leads had
    got, the fairs of the period and those held after the cut-off ("此外，7月6日，成功举办…"),
    and the intended leads."""
    events, leads, period = report.events, report.leads, report.period
    text = f"{period.year}年{period.label}，"
    if events.trips:
        text += f"“走出去”开展招商对接活动{events.trips}次，"
    if leads.docked:
        text += f"共对接招商项目{leads.docked}个"
        if leads.docked_investment:
            text += f"、总投资{money_text(leads.docked_investment)}"
        text += "，"
    else:
        text += "没有新对接的招商项目，"
    if leads.signed:
        text += ("其中" if leads.docked else "") + f"签约落地项目{leads.signed}个"
        if leads.signed_investment:
            text += f"、总投资{money_text(leads.signed_investment)}"
        text += _lead_names(leads.signed_lines, land=False)
    else:
        text += "尚无签约落地项目"
    text += "。"
    if events.count > events.trips:
        kinds = "、".join(f"{kind.label}{kind.count}次" for kind in events.by_kind if kind.count)
        text += f"共开展各类招商活动{events.count}次（{kinds}）。"
    channels = "、".join(
        f"{channel.label}{channel.count}个" for channel in leads.by_channel if channel.count
    )
    if channels:
        text += f"对接项目中，{channels}。"
    went_on = [(label, n) for label, n in leads.signed_progress if label != "签约"]
    if went_on:
        text += (
            f"截至{period.month}月末，签约项目中"
            + "、".join(f"已{label}{n}个" for label, n in went_on)
            + "。"
        )
    text += _fairs(events.fairs)
    text += _fairs(events.later_fairs, "此外，", f"此外，{period.month}月以后")
    intended = []
    for group in leads.intended:
        if not group.count:
            continue
        lines = [line for line in leads.intended_lines if line.asset_value == group.value]
        kind = group.label if group.value else "未注明资产类型"
        sentence = f"{kind}项目{group.count}个，计划投资{money_text(group.planned_investment)}"
        if group.land_area_mu:
            sentence += f"，占地{area(group.land_area_mu)}"
        intended.append(sentence + _lead_names(lines, land=True))
    if intended:
        text += "有意向入驻的" + "；".join(intended) + "。"
    else:
        text += "截至月末没有意向阶段的项目。"
    return text


def _services(report: YearEndReport) -> str:
    """Write the service desk's figures as the documents do: "协调解决企业各类事项53件次",
    or "50余件次" with SERVICE_ROUND_COUNTS; nothing when the desk has no records."""
    figures = report.services
    if figures.is_empty:
        return ""
    rounded = settings.SERVICE_ROUND_COUNTS
    period = report.period
    channels = "、".join(
        f"{tally.label}{tally.count}件次" for tally in figures.solved_by_channel if tally.count
    )
    meetings = "、".join(f"{tally.label}{tally.count}次" for tally in figures.meetings_held)
    text = (
        f"{period.year}年{period.label}，坚持“有呼必应、无事不扰”，"
        + (f"召开{meetings}，" if meetings else "")
        + f"协调解决企业各类事项{count_text(figures.requests_coordinated, rounded=rounded)}件次，"
        + f"线上为企业解决各类难题{count_text(figures.requests_solved_online, rounded=rounded)}件"
    )
    if channels:
        text += f"（按受理渠道：{channels}）"
    text += (
        f"；领代办服务企业{figures.enterprises_served}家，"
        f"网上办理审批事项{figures.approvals_online}项。"
    )
    rates = []
    if figures.in_time_rate is not None:
        rates.append(f"按时限办结率{percent(figures.in_time_rate)}")
    if figures.satisfaction_rate is not None:
        rates.append(f"企业满意率{percent(figures.satisfaction_rate)}")
    if rates:
        text += "，".join(rates) + "。"
    return text
