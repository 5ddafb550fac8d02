"""{% keep key %}…{% endkeep %}: a part of a page drawn once and kept in the reports' cache.

Unlike Django's {% cache %}, the key is the whole key, made by reports.cache (it carries
the data version, so a kept part is never stale), and an empty key keeps nothing: the
part is drawn for this request alone (a picker with errors, a user without parks).
"""

from django import template

from reports.cache import kept_part

register = template.Library()


class KeepNode(template.Node):
    def __init__(self, nodelist, key, part):
        self.nodelist = nodelist
        self.key = key
        self.part = part

    def render(self, context):
        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        return kept_part(f"{key}:{self.part}", lambda: self.nodelist.render(context))


@register.tag
def keep(parser, token):
    """Keep what lies up to {% endkeep %} under `key` and the part's name:
    {% keep page_key "content" %}."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError('{% keep key "part" %} takes a key and a part\'s name')
    part = bits[2]
    if not (part[0] == part[-1] and part[0] in "\"'"):
        raise template.TemplateSyntaxError("{% keep %}: the part's name is a quoted word")
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    return KeepNode(nodelist, parser.compile_filter(bits[1]), part[1:-1])
