"""The OpenAPI schema's additions: every operation documents the refusals every
endpoint may answer with (bad input, not signed in, no permission, not found, too
many requests), so clients and schemathesis know them."""

from drf_spectacular.openapi import AutoSchema

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# A refused input names its fields: {"year": ["应为2000到2100之间的整数。"]}, or "detail".
FIELDS = {"type": "object", "additionalProperties": True}

REFUSALS = {
    "400": ("请求有误：指出参数或字段", FIELDS),
    "401": ("未登录，或令牌无效、过期、已吊销", DETAIL),
    "403": ("没有权限", DETAIL),
    "404": ("没有该记录，或不在您可见的范围内", DETAIL),
    "429": ("请求过于频繁", DETAIL),
}


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, (description, schema) in REFUSALS.items():
            if code == "404" and self.method == "GET" and not self._is_detail():
                continue
            responses.setdefault(
                code,
                {"content": {"application/json": {"schema": schema}}, "description": description},
            )
        return responses

    def _is_detail(self) -> bool:
        return "{" in self.path
