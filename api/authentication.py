"""Token authentication against the digests of api.models.ApiToken.

Clients send `Authorization: Token <key>` (or `Bearer <key>`). A revoked or expired
token, or one of an inactive user, is refused with 401 and a Chinese message.
"""

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiToken
from .services import token_digest

KEYWORDS = ("token", "bearer")
TOUCH_EVERY = timedelta(minutes=5)  # how stale a token's "last used" may get


class PortalTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower().decode(errors="replace") not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "令牌格式不正确：应为“Authorization: Token <令牌>”。"
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("令牌格式不正确。") from None
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed("令牌无效。")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("令牌已被吊销，请联系管理员重新签发。")
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed("令牌已过期，请联系管理员重新签发。")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("该用户已停用。")
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Token realm="api"'


class PortalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PortalTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "管理员签发的令牌，格式：`Token <令牌>`。",
        }
