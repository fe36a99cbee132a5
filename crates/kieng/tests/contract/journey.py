"""One journey through a client generated from Kiềng's OpenAPI document
(openapi-python-client): sign in with a token, create a partner, list
activities. Usage: journey.py CLIENT_PARENT_DIR BASE_URL TOKEN"""
import sys

sys.path.insert(0, sys.argv[1])
from kieng_client import AuthenticatedClient  # noqa: E402
from kieng_client.api.account import get_me  # noqa: E402
from kieng_client.api.activities import get_activities  # noqa: E402
from kieng_client.api.partners import post_partners  # noqa: E402
from kieng_client.models import ActivityPage, Me, Partner, PartnerInput  # noqa: E402

client = AuthenticatedClient(base_url=sys.argv[2], token=sys.argv[3])
me = get_me.sync(client=client)
assert isinstance(me, Me), me
p = post_partners.sync(
    client=client,
    body=PartnerInput(kind="ngo", name_vi="Quỹ Hữu nghị Sông Đà (khách sinh từ OpenAPI)"),
)
assert isinstance(p, Partner), p
assert p.name_vi.startswith("Quỹ Hữu nghị Sông Đà"), p
page = get_activities.sync(client=client, page=1)
assert isinstance(page, ActivityPage), page
print(f"journey ok: {me.user.username} created {p.id}, {page.total} activities")
