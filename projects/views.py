"""The pages of the people who run projects: the list, a project's page, its forms, and
the issues per unit.

Leaders and admins read every park's projects, park staff their own parks'; staff and
admins edit (`Project.objects.editable_by`), leaders read only. Every write goes through
its door in projects.services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from indicators.selectors import period_submission
from indicators.workflow import is_editable, may_enter
from parkportal.access import get_visible_or_403
from parkportal.models import Park

from .briefing import briefing_docx, meeting_briefing
from .forms import (
    BriefingForm,
    IssueCloseForm,
    IssueForm,
    MilestoneForm,
    ProjectForm,
    ProjectListForm,
)
from .models import Milestone, Project, ProjectIssue
from .pages import issue_lists, project_export, project_page
from .selectors import progress_lines, project_list
from .services import (
    EntryRefused,
    ProgressConflict,
    ProgressInvalid,
    ProgressMalformed,
    ProgressRow,
    issue_close,
    issue_save,
    milestone_save,
    period_progress_save,
    project_save,
)

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _readable_parks(user) -> list[Park]:
    return list(Park.objects.visible_to(user).order_by("parent_id", "sort_order", "code"))


@login_required
def project_list_view(request):
    """List the projects the user may read: searched, filtered, sorted, with their lights;
    `format=xlsx` sends the list as the workbook's 项目 sheet."""
    parks = _readable_parks(request.user)
    form = ProjectListForm(request.GET, parks=parks)
    if request.GET.get("park") and request.GET["park"] not in form.parks:
        raise PermissionDenied  # another park's projects, or no such park
    if not form.is_valid():
        return render(request, "projects/list.html", {"form": form}, status=400)
    today = timezone.localdate()
    rows = project_list(request.user, form.filters(), today)
    if request.GET.get("format") == "xlsx":
        return HttpResponse(
            project_export([row.project.pk for row in rows]),
            content_type=XLSX,
            headers={"Content-Disposition": content_disposition_header(True, "项目清单.xlsx")},
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "page_query": form.query(),
        "xlsx_query": form.query(format="xlsx"),
        "may_edit": Park.objects.editable_by(request.user).exists(),
    }
    return render(request, "projects/list.html", context)


@login_required
def project_view(request, pk):
    """Show a project: facts, light, progress against the plan, milestones, bonds,
    funding, land, issues, where it came from and what it became, its history."""
    project = get_visible_or_403(
        Project.objects.select_related("park", "enterprise"), request.user, pk=pk
    )
    page = project_page(project, timezone.localdate())
    may_edit = Project.objects.editable_by(request.user).filter(pk=pk).exists()
    context = {"page": page, "project": project, "may_edit": may_edit}
    return render(request, "projects/project.html", context)


def _editable(request, pk) -> Project:
    """Return the project if the user may edit it; else 404 or 403."""
    project = get_visible_or_403(Project.objects.select_related("park"), request.user, pk=pk)
    if not Project.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    return project


def _form_page(request, project, form, title, status=200):
    context = {"project": project, "form": form, "title": title}
    return render(request, "projects/form.html", context, status=status)


def _saved(request, form, door) -> bool:
    """Save the form's record through `door`; a refusal goes to the form's errors."""
    if not form.is_valid():
        return False
    try:
        door(form.save(commit=False))
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@login_required
def project_edit(request, pk):
    project = _editable(request, pk)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST":
        if _saved(request, form, lambda p: project_save(project=p, user=request.user)):
            messages.success(request, "项目信息已保存。")
            return redirect(project)
        return _form_page(request, project, form, "修改项目信息", status=400)
    return _form_page(request, project, form, "修改项目信息")


@login_required
def milestone_edit(request, pk, milestone_pk=None):
    project = _editable(request, pk)
    milestone = (
        get_object_or_404(Milestone, pk=milestone_pk, project=project)
        if milestone_pk
        else Milestone(project=project)
    )
    form = MilestoneForm(request.POST or None, instance=milestone)
    title = f"修改节点“{milestone.name}”" if milestone_pk else "新增节点"
    if request.method == "POST":
        if _saved(request, form, lambda m: milestone_save(milestone=m, user=request.user)):
            messages.success(request, "节点已保存。")
            return redirect(project)
        return _form_page(request, project, form, title, status=400)
    return _form_page(request, project, form, title)


@login_required
def issue_add(request, pk):
    project = _editable(request, pk)
    form = IssueForm(request.POST or None, instance=ProjectIssue(project=project))
    if request.method == "POST":
        if _saved(request, form, lambda i: issue_save(issue=i, user=request.user)):
            messages.success(request, "问题已登记。")
            return redirect(project)
        return _form_page(request, project, form, "登记问题", status=400)
    return _form_page(request, project, form, "登记问题")


@login_required
@require_POST
def issue_close_view(request, issue_pk):
    issue = get_object_or_404(ProjectIssue.objects.select_related("project"), pk=issue_pk)
    project = _editable(request, issue.project_id)
    form = IssueCloseForm(request.POST)
    if form.is_valid():
        try:
            issue_close(issue=issue, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"问题{issue.code}已办结。")
    else:
        errors = [f"{form.fields[f].label}：{e}" for f, es in form.errors.items() for e in es]
        messages.error(request, f"问题{issue.code}未办结：" + "；".join(errors))
    return redirect(project)


@login_required
def issues_view(request):
    """List the issues of the projects the user may read, open, overdue and solved,
    grouped by the unit that must solve them."""
    lists = issue_lists(request.user, timezone.localdate(), request.GET.get("state", "open"))
    return render(request, "projects/issues.html", {"lists": lists})


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def briefing_view(request):
    """Show the scheduling meeting's briefing for `date` (today by default), over the
    projects the user may read; `format=docx` sends it as a Word document."""
    form = BriefingForm(request.GET or None)
    meeting_date = timezone.localdate()
    if form.is_bound:
        if not form.is_valid():
            return render(request, "projects/briefing.html", {"form": form}, status=400)
        meeting_date = form.cleaned_data["date"] or meeting_date
    briefing = meeting_briefing(request.user, meeting_date)
    if request.GET.get("format") == "docx":
        return HttpResponse(
            briefing_docx(briefing),
            content_type=DOCX,
            headers={
                "Content-Disposition": content_disposition_header(True, f"{briefing.title}.docx")
            },
        )
    context = {"form": BriefingForm(initial={"date": meeting_date}), "briefing": briefing}
    return render(request, "projects/briefing.html", context)


FIRST_YEAR, LAST_YEAR = 2000, 2100


def _rows_from_post(post) -> list[ProgressRow]:
    """Return the grid's posted rows: c-<project> and g-<project> typed, oc-/og- shown."""
    rows = []
    for key in post:
        if not key.startswith("c-"):
            continue
        try:
            project_id = int(key[2:])
        except ValueError:
            raise ProgressMalformed from None
        names = (f"g-{project_id}", f"oc-{project_id}", f"og-{project_id}")
        if any(name not in post for name in names):
            raise ProgressMalformed
        rows.append(ProgressRow(project_id, post[key], *(post[name] for name in names)))
    return rows


@login_required
def progress_entry(request, park, year, month):
    """Show a park's month's project progress as a grid (one row per project under way);
    those who enter the park's figures save it through `period_progress_save`. It is
    submitted with the month's enterprises' figures, from the monthly entry."""
    park = get_visible_or_403(Park.objects.parks(), request.user, code=park)
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise Http404("没有这个月份")
    entering = may_enter(request.user, park)
    lines = None
    if request.method == "POST":
        if not entering:
            raise PermissionDenied
        try:
            changed = period_progress_save(
                park=park,
                year=year,
                month=month,
                rows=_rows_from_post(request.POST),
                user=request.user,
            )
        except ProgressMalformed:
            return HttpResponseBadRequest(
                "页面已过期或不完整，本次未保存任何数据；请刷新后重新填写。"
            )
        except EntryRefused as refused:
            messages.error(request, refused.message)
        except ProgressInvalid as invalid:
            messages.error(
                request,
                f"有{len(invalid.messages)}处错误，本次未保存任何数据："
                + "；".join(invalid.messages),
            )
            lines = invalid.lines
        except ProgressConflict as conflict:
            messages.warning(
                request,
                f"在您填写期间，其他用户修改了{'、'.join(conflict.names)}的进度，本次未保存。"
                "标黄的行显示现在的数值，您的输入仍保留在框中；核对后再次保存即以您的输入为准。",
            )
            lines = conflict.lines
        else:
            messages.success(
                request,
                f"项目进度已保存，修改了{changed}个项目。" if changed else "项目进度没有变化。",
            )
        if lines is None:
            return redirect("projects:progress_entry", park.code, year, month)
    submission = period_submission(park, year, month)
    if lines is None:
        lines = progress_lines(park, year, month, drafts=entering)
    context = {
        "park": park,
        "year": year,
        "month": month,
        "submission": submission,
        "lines": lines,
        "entering": entering,
        "editable": entering and is_editable(submission.status),
        "reported": sum(line.reported for line in lines),
        "missing": sum(not line.reported for line in lines),
    }
    return render(request, "projects/progress.html", context)
