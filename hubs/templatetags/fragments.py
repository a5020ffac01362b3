"""`{% fragment %}`: Django's `{% cache %}` kept in each process's memory.

    {% load fragments %}
    {% fragment 300 hub_nav access.hub.slug access.nav_key %} ... {% endfragment %}

For markup that is the same for many people (the layout's navigation for a
role, the footer) and costs URL reversals to build. Its key is built from
every variable named, so it must name everything the markup varies with;
nothing read from the database that could change belongs in it. Kept per
process, not in the shared cache: no round trip, nothing to fail when Redis
is down, and a deploy (new processes) never serves the old markup.
"""

from __future__ import annotations

from django import template
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.utils import make_template_fragment_key

register = template.Library()

FRAGMENTS = LocMemCache("hub-fragments", {"TIMEOUT": 300, "OPTIONS": {"MAX_ENTRIES": 5000}})


class FragmentNode(template.Node):
    def __init__(self, nodelist, timeout, name: str, vary_on) -> None:
        self.nodelist, self.timeout, self.name, self.vary_on = nodelist, timeout, name, vary_on

    def render(self, context) -> str:
        key = make_template_fragment_key(self.name, [v.resolve(context) for v in self.vary_on])
        value = FRAGMENTS.get(key)
        if value is None:
            value = self.nodelist.render(context)
            FRAGMENTS.set(key, value, self.timeout)
        return value


@register.tag("fragment")
def do_fragment(parser, token) -> FragmentNode:
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    bits = token.split_contents()
    if len(bits) < 3 or not bits[1].isdigit():
        raise template.TemplateSyntaxError(
            "{% fragment seconds name [variables...] %} needs a timeout and a name"
        )
    return FragmentNode(
        nodelist, int(bits[1]), bits[2], [parser.compile_filter(b) for b in bits[3:]]
    )
