"""The API's documentation page, Swagger UI from drf-spectacular-sidecar's static files.

The page's initialisation script is served from a URL of its own (the split view), so
the portal's Content-Security-Policy (`script-src 'self'`, no inline script) holds.
Redoc is not offered: it starts a web worker from a blob: URL and loads its logo from
its makers' CDN, both of which the policy forbids."""

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    title = "园区经济运行监测平台 开放接口"
