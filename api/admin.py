"""The admin's page of API tokens: issue one (its key is shown once), revoke them."""

from django.contrib import admin, messages

from parkportal.roles import can_approve

from .models import ApiToken
from .services import TOKEN_DAYS, token_issue, token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "user",
        "name",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "name", "prefix"]
    list_select_related = ["user"]
    actions = ["revoke"]
    fields = ["user", "name", "expires_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "user",
            "name",
            "prefix",
            "created_at",
            "created_by",
            "expires_at",
            "revoked_at",
            "last_used_at",
        ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name"]
        return self.get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, key = token_issue(
            user=obj.user, issued_by=request.user, name=obj.name, days=TOKEN_DAYS
        )
        obj.pk = token.pk
        messages.warning(
            request,
            f"已为 {token.user} 签发令牌（{TOKEN_DAYS}天内有效）：{key} "
            "——只显示这一次，请立即复制交给使用者；门户只保存它的摘要。",
        )

    # Tokens are the admins' to issue and revoke (parkportal.roles), whatever the groups'
    # model permissions say.
    def has_module_permission(self, request):
        return can_approve(request.user)

    def has_view_permission(self, request, obj=None):
        return can_approve(request.user)

    def has_add_permission(self, request):
        return can_approve(request.user)

    def has_change_permission(self, request, obj=None):
        return can_approve(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the list keeps who had access when

    @admin.action(description="吊销所选令牌")
    def revoke(self, request, queryset):
        count = token_revoke(tokens=queryset)
        self.message_user(request, f"已吊销{count}个令牌。")
