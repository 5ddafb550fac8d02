"""Issue, list and revoke API tokens from the command line."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken
from api.services import TOKEN_DAYS, token_issue, token_revoke


class Command(BaseCommand):
    help = "签发、列出或吊销开放接口令牌（令牌只在签发时显示一次）。"

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        issue = commands.add_parser("issue", help="为用户签发令牌")
        issue.add_argument("username", help="用户名")
        issue.add_argument("--name", default="", help="用途，如“统计局数据同步”")
        issue.add_argument("--days", type=int, default=TOKEN_DAYS, help="有效天数")
        listing = commands.add_parser("list", help="列出令牌")
        listing.add_argument("username", nargs="?", help="只列出该用户的令牌")
        revoke = commands.add_parser("revoke", help="吊销令牌")
        revoke.add_argument("prefix", help="令牌开头（list 显示的前8个字符）")
        revoke.add_argument("--dry-run", action="store_true", help="只显示将吊销哪些令牌")

    def handle(self, *args, **options):
        getattr(self, f"_{options['command']}")(options)

    def _issue(self, options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户 {options['username']}。")
        if options["days"] < 1:
            raise CommandError("有效天数至少为1。")
        token, key = token_issue(
            user=user, issued_by=None, name=options["name"], days=options["days"]
        )
        self.stdout.write(
            self.style.SUCCESS(f"已为 {user} 签发令牌，{token.expires_at:%Y-%m-%d %H:%M} 到期：")
        )
        self.stdout.write(key)

    def _list(self, options):
        tokens = ApiToken.objects.select_related("user")
        if options["username"]:
            tokens = tokens.filter(user__username=options["username"])
        for token in tokens:
            state = "可用" if token.is_usable else ("已吊销" if token.revoked_at else "已过期")
            self.stdout.write(
                f"{token.prefix}  {token.user}  {token.name or '—'}  "
                f"{token.expires_at:%Y-%m-%d}到期  {state}"
            )

    def _revoke(self, options):
        tokens = ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True)
        count = tokens.count()
        if not count:
            raise CommandError(f"没有以 {options['prefix']} 开头的可吊销令牌。")
        if options["dry_run"]:
            self.stdout.write(f"将吊销{count}个令牌（--dry-run，未吊销）。")
            return
        token_revoke(tokens=tokens)
        self.stdout.write(self.style.SUCCESS(f"已吊销{count}个令牌。"))
