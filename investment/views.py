"""The pipeline's pages: the board, the list, my leads, a lead, its forms, the duplicates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from parkportal.access import get_visible_or_403
from parkportal.choices import Role
from parkportal.models import Industry, Park
from parkportal.roles import user_role

from .choices import LeadStage
from .domain import LIGHT_LABELS, delay_phrase, start_delay_days, start_overdue_days
from .forms import EventForm, FollowUpForm, LeadForm, MergeForm, PipelineFilterForm, StageForm
from .models import FollowUp, Lead, owner_names
from .selectors import (
    PipelineFilters,
    broken_promises,
    duplicate_pairs,
    lead_chain,
    lead_duplicates,
    lead_follow_ups,
    lead_timeline,
    lead_yields,
    pipeline_board,
    pipeline_leads,
    visible_events,
    with_attention,
)
from .services import (
    follow_up_save,
    lead_merge,
    lead_save,
    lead_stage_change,
    outreach_event_save,
)

PAGE_SIZE = 50


def _reader(request):
    """Refuse users without a role (they read no lead)."""
    if user_role(request.user) is None:
        raise PermissionDenied


def _filter_form(request) -> PipelineFilterForm:
    user = request.user
    parks = Park.objects.visible_to(user) if user_role(user) == Role.STAFF else Park.objects.parks()
    return PipelineFilterForm(
        request.GET or None,
        parks=parks.order_by("code"),
        industries=Industry.objects.order_by("group", "name"),
    )


def _filtered(request, **extra):
    """Return the filter form and the leads it lists; an invalid filter lists nothing."""
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        return form, Lead.objects.none()
    filters = form.filters(**extra) if form.is_bound else PipelineFilters(**extra)
    return form, pipeline_leads(request.user, filters, timezone.localdate())


@login_required
def board(request):
    """Show the leads by stage, the most urgent first in each column."""
    _reader(request)
    form, leads = _filtered(request)
    context = {
        "form": form,
        "columns": pipeline_board(leads),
        "light_labels": LIGHT_LABELS,
        "query": request.GET.urlencode(),
        "can_follow": Lead.objects.editable_by(request.user).exists(),
    }
    return render(request, "investment/board.html", context)


def _listing(request, template_title: str, **extra):
    form, leads = _filtered(request, **extra)
    page = Paginator(leads, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "title": template_title,
        "light_labels": LIGHT_LABELS,
        "page_query": query.urlencode(),
    }
    return render(request, "investment/list.html", context)


@login_required
def lead_list(request):
    """List the leads, filtered, a page at a time, the most urgent first."""
    _reader(request)
    return _listing(request, "招商项目列表")


@login_required
def my_leads(request):
    """List the leads the user owns (负责人 is their name or username)."""
    _reader(request)
    return _listing(request, "我负责的招商项目", owners=tuple(owner_names(request.user)))


def _project_url(project) -> str:
    try:
        return project.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""


@login_required
def lead(request, pk):
    """Show a lead: its facts, stage timeline, follow-ups, next follow-up, events, the
    project and enterprise it became, possible duplicates and change history; the forms
    to record a follow-up and to change its stage for those who follow it."""
    _reader(request)
    found = get_visible_or_403(Lead.objects.select_related("industry", "park"), request.user, pk=pk)
    today = timezone.localdate()
    found = (
        with_attention(Lead.objects.filter(pk=found.pk), today)
        .select_related("industry", "park", "project__enterprise")
        .get()
    )
    return render(request, "investment/lead.html", _lead_context(request, found))


def _lead_context(request, found, *, follow_up_form=None, stage_form=None):
    can_follow = Lead.objects.editable_by(request.user).filter(pk=found.pk).exists()
    project = found.project
    enterprise = getattr(project, "enterprise", None) if project else None
    today = timezone.localdate()
    started = project.start_date if project else None
    return {
        "chain": lead_chain(found) if found.signed_on else [],
        "start_overdue": start_overdue_days(found.promised_start_on, started, today),
        "start_delay": delay_phrase(start_delay_days(found.promised_start_on, started)),
        "lead": found,
        "light_label": LIGHT_LABELS.get(found.light, ""),
        "timeline": lead_timeline(found),
        "follow_ups": lead_follow_ups(found),
        "events": list(found.events.order_by("-date")),
        "project_url": _project_url(project) if project else "",
        "enterprise": enterprise,
        "enterprise_url": reverse("reports:enterprise", args=[enterprise.pk]) if enterprise else "",
        "duplicates": lead_duplicates(request.user, found),
        "history": list(
            found.history.select_related("history_user").order_by("-history_date")[:50]
        ),
        "can_follow": can_follow,
        "is_admin": user_role(request.user) == Role.ADMIN,
        "follow_up_form": follow_up_form
        or FollowUpForm(
            initial={"date": today, "by": request.user.get_full_name() or request.user.username}
        ),
        "stage_form": stage_form or StageForm(initial={"on": today}),
    }


def _followed_or_403(request, pk) -> Lead:
    found = get_object_or_404(Lead, pk=pk)
    if not Lead.objects.editable_by(request.user).filter(pk=found.pk).exists():
        raise PermissionDenied
    return found


def _refused(request, found, status=400, **forms):
    found = (
        with_attention(Lead.objects.filter(pk=found.pk), timezone.localdate())
        .select_related("industry", "park", "project__enterprise")
        .get()
    )
    return render(
        request, "investment/lead.html", _lead_context(request, found, **forms), status=status
    )


@login_required
@require_POST
def follow_up_add(request, pk):
    """Record a follow-up of the lead through its door."""
    found = _followed_or_403(request, pk)
    form = FollowUpForm(request.POST, instance=FollowUp(lead=found))
    if form.is_valid():
        try:
            follow_up_save(follow_up=form.instance, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return _refused(request, found, follow_up_form=form)
    messages.success(request, f"已记录{form.instance.date:%Y-%m-%d}的跟进。")
    return redirect(found)


@login_required
@require_POST
def stage_change(request, pk):
    """Move the lead to another stage, with its date and note, through its door."""
    found = _followed_or_403(request, pk)
    form = StageForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            lead_stage_change(
                lead=found, stage=data["stage"], on=data["on"], note=data["note"], user=request.user
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    if form.errors:
        return _refused(request, found, stage_form=form)
    messages.success(request, f"已改为“{LeadStage(form.cleaned_data['stage']).label}”阶段。")
    return redirect(found)


def _lead_parks(user):
    """Return the parks a new lead of `user` may intend: investment staff bound to parks
    theirs, bound to the zone (and admins) every park."""
    if user_role(user) == Role.ADMIN:
        return Park.objects.parks()
    bound = Park.objects.filter(memberships__user=user)
    return Park.objects.parks() if bound.filter(kind="zone").exists() else bound.parks()


@login_required
def lead_new(request):
    """Record a new lead at 对接 through its door (investment staff and admins); a lead
    whose investor matches an open lead's opens with the possible duplicates named."""
    if user_role(request.user) not in (Role.INVESTMENT, Role.ADMIN):
        raise PermissionDenied
    parks = _lead_parks(request.user).order_by("code")
    form = LeadForm(
        request.POST or None,
        parks=parks,
        initial={"owner": owner_names(request.user)[-1], "docked_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = lead_save(
                lead=form.instance,
                previous_stage="",
                user=request.user,
                on=form.instance.docked_on,
                note="首次对接",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已新建招商项目{created.code}。")
            return redirect(created)
    status = 400 if request.method == "POST" else 200
    return render(request, "investment/lead_new.html", {"form": form}, status=status)


@login_required
def promises(request):
    """List the signed leads past their promised start with no start (履约)."""
    _reader(request)
    today = timezone.localdate()
    leads = [
        (lead, start_overdue_days(lead.promised_start_on, None, today))
        for lead in broken_promises(request.user, today)
    ]
    return render(request, "investment/promises.html", {"leads": leads})


@login_required
def events(request):
    """List the outreach events, a page at a time; investment staff and admins record one."""
    _reader(request)
    page = Paginator(visible_events(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    can_record = user_role(request.user) in (Role.INVESTMENT, Role.ADMIN)
    return render(request, "investment/events.html", {"page": page, "can_record": can_record})


@login_required
def event_new(request):
    """Record an outreach event and the leads docked at it through its door (investment
    staff and admins)."""
    if user_role(request.user) not in (Role.INVESTMENT, Role.ADMIN):
        raise PermissionDenied
    form = EventForm(
        request.POST or None,
        parks=_lead_parks(request.user).order_by("code"),
        leads=Lead.objects.editable_by(request.user),
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = outreach_event_save(
                event=form.instance, user=request.user, leads=form.cleaned_data["lead_codes"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已记录招商活动“{event.name}”。")
            return redirect("investment:events")
    status = 400 if request.method == "POST" else 200
    return render(request, "investment/event_new.html", {"form": form}, status=status)


@login_required
def channels(request):
    """Show what each channel, outreach event and owner yielded in a year: leads docked,
    signed and landed, their projects' completed investment and their enterprises' tax."""
    _reader(request)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Http404("年份超出范围。")
    context = {"yields": lead_yields(request.user, year), "years": range(year - 2, year + 1)}
    return render(request, "investment/channels.html", context)


def _admin_only(request):
    if user_role(request.user) != Role.ADMIN:
        raise PermissionDenied


@login_required
def duplicates(request):
    """List the possible duplicates among the open leads, side by side (admins)."""
    _admin_only(request)
    return render(request, "investment/duplicates.html", {"pairs": duplicate_pairs(request.user)})


@login_required
@require_POST
def merge(request):
    """Merge one lead into another, keeping both histories (admins)."""
    _admin_only(request)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "合并请求不完整，请从重复项目列表中重新选择。")
        return redirect("investment:duplicates")
    keep = get_object_or_404(Lead, pk=form.cleaned_data["keep"])
    merged = get_object_or_404(Lead, pk=form.cleaned_data["merged"])
    try:
        lead_merge(keep=keep, merged=merged, user=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("investment:duplicates")
    messages.success(request, f"已将{merged.code}（{merged.name}）并入{keep.code}（{keep.name}）。")
    return redirect(keep)
