"""The admin's workbook pages: import (upload → preview → confirm), export, templates."""

from urllib.parse import quote

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .importer import SHEETS, SHEETS_BY_NAME
from .models import ImportBatch
from .services import batch_progress, import_batch_confirm, import_batch_upload
from .writer import workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_PERMISSION = "workbook.import_workbook"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="工作簿文件（.xlsx）",
        help_text="可包含任意几个工作表；先预览检查结果，确认后才写入。",
    )


def _context(request, **extra):
    return {**admin.site.each_context(request), **extra}


@permission_required(IMPORT_PERMISSION, raise_exception=True)
def import_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = import_batch_upload(data=upload.read(), filename=upload.name, user=request.user)
        return redirect("workbook:import_preview", pk=batch.pk)
    context = _context(
        request, title="导入工作簿", form=form, sheets=[resource.sheet for resource in SHEETS]
    )
    return render(request, "workbook/import.html", context)


@permission_required(IMPORT_PERMISSION, raise_exception=True)
def import_preview(request, pk):
    """The batch's page: its progress while it runs, then what it found or did."""
    batch = get_object_or_404(ImportBatch.objects.select_related("uploaded_by"), pk=pk)
    progress = batch_progress(batch)
    problems = batch.summary.get("problems", [])
    # Only the first problems are kept with a batch; the count is of them all (a batch that
    # failed has its one message and no count).
    problem_count = batch.summary.get("problem_count", len(problems))
    context = _context(
        request, title="导入预览", batch=batch, progress=progress, problem_count=problem_count
    )
    return render(request, "workbook/preview.html", context)


@permission_required(IMPORT_PERMISSION, raise_exception=True)
def import_progress(request, pk):
    """How far the batch has got, for the page's progress bar (polled)."""
    batch = get_object_or_404(ImportBatch.objects.defer("content"), pk=pk)
    return JsonResponse(batch_progress(batch))


@require_POST
@permission_required(IMPORT_PERMISSION, raise_exception=True)
def import_confirm(request, pk):
    batch = import_batch_confirm(batch=get_object_or_404(ImportBatch, pk=pk))
    if batch.status == ImportBatch.Status.IMPORTED:
        messages.success(request, f"已导入 {batch.filename}。")
    elif batch.status == ImportBatch.Status.REJECTED:
        messages.error(request, f"{batch.filename} 未导入：数据已变化，检查未通过，见下方问题。")
    return redirect("workbook:import_preview", pk=batch.pk)


def _sheets(request) -> list:
    name = request.GET.get("sheet", "")
    if not name:
        return SHEETS
    if name not in SHEETS_BY_NAME:
        raise PermissionDenied
    return [SHEETS_BY_NAME[name]]


def _download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def export(request):
    """Download the data of one sheet (?sheet=企业) or of every sheet, in the import format."""
    resources = _sheets(request)
    for resource in resources:
        meta = resource._meta.model._meta
        if not request.user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
            raise PermissionDenied
    name = request.GET.get("sheet") or "园区数据"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _download(workbook_bytes(resources, with_data=True), f"{name}-{stamp}.xlsx")


def template(request):
    """Download a blank template of one sheet (?sheet=企业) or of the whole workbook."""
    name = request.GET.get("sheet") or "园区数据"
    return _download(workbook_bytes(_sheets(request), with_data=False), f"{name}-导入模板.xlsx")
