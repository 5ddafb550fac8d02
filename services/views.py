"""The service desk's pages: the lists, a case recorded, a case followed to its close."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from parkportal.access import get_visible_or_403
from parkportal.models import Enterprise, Park

from .domain import STATE_LABELS, case_state
from .forms import CaseFilterForm, CaseForm, CloseForm
from .models import ServiceCase
from .selectors import LISTS, cases_listed, list_counts
from .services import service_case_close, service_case_save

PAGE_SIZE = 20


def _filtered(cases, data: dict):
    if data["q"]:
        q = data["q"]
        cases = cases.filter(
            Q(code__icontains=q)
            | Q(subject__icontains=q)
            | Q(enterprise__name__icontains=q)
            | Q(outcome__icontains=q)
        )
    if data["park"]:
        cases = cases.in_parks(Park.objects.filter(code=data["park"]))
    for field in ("kind", "channel", "category"):
        if data[field]:
            cases = cases.filter(**{field: data[field]})
    if data["unit"]:
        cases = cases.filter(unit__icontains=data["unit"])
    return cases


@login_required
def case_list(request):
    """List the cases the user may read: open, due today, overdue or closed, filtered by
    park, type, channel, category and unit, searched, a page at a time."""
    parks = list(Park.objects.visible_to(request.user).parks().order_by("sort_order", "code"))
    form = CaseFilterForm(request.GET, parks=parks)
    if not form.is_valid():
        return render(request, "services/list.html", {"form": form}, status=400)
    data = form.cleaned_data
    state = data["state"] or "open"
    today = timezone.localdate()
    cases = _filtered(cases_listed(request.user, state=state, today=today), data)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for case in page:
        code = case_state(case.due_on, case.closed_on, today)
        rows.append((case, code, STATE_LABELS[code]))
    query = request.GET.copy()
    query.pop("page", None)
    tabs = []
    counts = list_counts(request.user, today)
    for value, label in LISTS.items():
        tab_query = query.copy()
        tab_query["state"] = value
        tabs.append((value, label, counts[value], tab_query.urlencode()))
    context = {
        "form": form,
        "state": state,
        "state_label": LISTS[state],
        "tabs": tabs,
        "page": page,
        "rows": rows,
        "page_query": query.urlencode(),
        "may_record": Park.objects.editable_by(request.user).exists(),
    }
    return render(request, "services/list.html", context)


@login_required
def case_new(request):
    """Record a request or an approval for an enterprise of the user's parks."""
    parks = Park.objects.editable_by(request.user)
    if not parks.exists():
        raise PermissionDenied
    enterprises = (
        Enterprise.objects.registered()
        .filter(park__in=parks)
        .select_related("park")
        .order_by("name")
    )
    form = CaseForm(request.POST or None, enterprises=enterprises)
    if request.GET.get("enterprise") and not form.is_bound:
        form.initial["enterprise"] = request.GET["enterprise"]
    if request.method == "POST" and form.is_valid():
        try:
            case = service_case_save(case=form.instance, user=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, f"已登记服务事项{case.code}，应于{case.due_on:%Y-%m-%d}前办结。"
            )
            return redirect(case)
    return render(request, "services/new.html", {"form": form})


def _add_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


@login_required
def case_detail(request, pk):
    """Show a case, its state and change history, and to those who may, the close form."""
    case = get_visible_or_403(
        ServiceCase.objects.select_related("enterprise__park", "project__park"), request.user, pk=pk
    )
    return _detail(request, case, CloseForm())


def _detail(request, case, close_form, status=200):
    today = timezone.localdate()
    may_close = (
        case.closed_on is None
        and ServiceCase.objects.editable_by(request.user).filter(pk=case.pk).exists()
    )
    state = case_state(case.due_on, case.closed_on, today)
    context = {
        "case": case,
        "state": state,
        "state_label": STATE_LABELS[state],
        "history": case.history.select_related("history_user").order_by("-history_date")[:20],
        "close_form": close_form if may_close else None,
    }
    return render(request, "services/case.html", context, status=status)


@login_required
@require_POST
def case_close(request, pk):
    """Close a case with its outcome, 办理方式 and the enterprise's satisfaction."""
    case = get_visible_or_403(
        ServiceCase.objects.select_related("enterprise__park", "project__park"), request.user, pk=pk
    )
    if not ServiceCase.objects.editable_by(request.user).filter(pk=case.pk).exists():
        raise PermissionDenied
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            service_case_close(case=case, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"服务事项{case.code}已办结。")
            return redirect(case)
    return _detail(request, case, form, status=400)
