# The text a Persian excerpt is marked in (articles/search.py) is HTML throughout,
# as English and Arabic excerpts' is: the lead escaped to match the body's text as
# stored, so that Python decodes the entities of both once. Before, "&amp;" of a
# body was escaped again and readers saw "&amp;amp;". A tag the length cuts off
# goes as whole ones do (the body has no other "<").

from django.db import migrations

EXCERPT_SOURCE = r"""
CREATE OR REPLACE FUNCTION articles_excerpt_source(lead text, body text, chars integer)
RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000 AS $$
BEGIN
    RETURN {lead} || ' '
        || regexp_replace(left(coalesce(body, ''), chars), '{tag}', ' ', 'g');
END
$$;
"""

FORWARD = EXCERPT_SOURCE.format(
    lead="replace(replace(replace(coalesce(lead, ''), '&', '&amp;'), '<', '&lt;'), '>', '&gt;')",
    tag="<[^>]*>?",
)
BACKWARD = EXCERPT_SOURCE.format(lead="coalesce(lead, '')", tag="<[^>]*>")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0033_desk_order_index"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
