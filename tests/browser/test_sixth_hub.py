"""A sixth hub, configured through the admin alone, runs two commissions
(issue 14): a site administrator creates the hub and invites its hub admin;
she, as a hub admin and not a superuser, writes the policy, sets the award
routes (HLO staff decide under £10,000; from £10,000 the board may comment,
advisory, for 7 days, then two approvers must both approve), adds a partner
organisation and invites an officer, two approvers, a board member and the
partner's contact, each of whom accepts. Then, on the hub's own pages, a
need and two commissions from need to signature: £5,000, which the officer
approves, and £20,000, which waits after one approval and moves on with two.

No demo: the hub is built from nothing but the superuser. Every page of ours
the hub admin and the officers use is checked with axe-core.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from agreements.models import Signature
from commissioning.models import Commission, Decision
from commissioning.workflow import Stage
from hubs.decision_routes import Body, DecisionKind
from hubs.models import Hub, HubPolicy, Membership, ReportingCadence, Role
from monitoring.models import Report, ReportKind
from notices.models import OutboxMessage
from tests.auth_helpers import TEST_TOTP_SECRET, give_authenticator
from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations, visit
from tests.browser.test_invitations import LINK, enter_code, sign_in

HUB = "Sixth Music Hub"
SLUG = "sixth"
ROOT = "root@sixth.example.org"
PASSWORD = "sixth-hub-passphrase-2026"
PEOPLE = {
    # email: (first, last, role label in the admin, how the invitation says it, second factor)
    "hana.admin@sixth.example.org": ("Hana", "Admin", "Hub admin", "a hub admin", True),
    "olu.officer@sixth.example.org": ("Olu", "Officer", "HLO staff", "HLO staff", True),
    "abi.approver@sixth.example.org": ("Abi", "Approver", "Approver", "an approver", True),
    "ben.approver@sixth.example.org": ("Ben", "Approver", "Approver", "an approver", True),
    "bea.board@sixth.example.org": ("Bea", "Board", "Board member", "a board member", False),
    "pat.partner@sixth.example.org": ("Pat", "Partner", "Partner contact", "a partner", False),
}
ADMIN, OFFICER, ABI, BEN, BOARD, PARTNER = PEOPLE
PARTNER_ORG = "Riverside Music Collective"
BRANDING = "Negative: repeated failure to meet branding guidelines"


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def press(page, button, scope=None, exact: bool = False) -> None:
    with page.expect_navigation(wait_until="load"):
        (scope or page).get_by_role("button", name=button, exact=exact).click(timeout=5000)


def click_link(page, name: str, scope=None) -> None:
    with page.expect_navigation(wait_until="load"):
        (scope or page).get_by_role("link", name=name).first.click(timeout=5000)


def admin_save(page) -> None:
    press(page, "Save", page.locator("#content"), exact=True)
    errors = page.locator(".errornote, .errorlist").all_inner_texts()
    assert not errors, f"the admin refused to save on {page.url}: {errors}"


# ── people ───────────────────────────────────────────────────────────────────


def invite(page, live_server, email: str, **extra: str) -> str:
    """Send an invitation from the admin (as whoever is signed in); its link."""
    role = PEOPLE[email][2]
    visit(page, live_server + "/admin/accounts/invitation/add/")
    if page.locator("#id_hub").input_value() == "":
        page.locator("#id_hub").select_option(label=HUB)
    page.locator("#id_email").fill(email)
    page.locator("#id_role").select_option(label=role)
    for field, label in extra.items():
        locator = page.locator(f"#id_{field}")
        if locator.evaluate("e => e.tagName") == "SELECT":
            locator.select_option(label=label)
        else:
            locator.fill(label)
    press(page, "Save", page.locator("#content"), exact=True)
    assert f"Invitation sent to {email}. The link works until" in page.inner_text("body")
    body = OutboxMessage.objects.filter(to_email=email).latest("pk").body
    return LINK.search(body).group(1)


def accept(browser, live_server, link: str, email: str):
    """The invited person opens the link in their own browser, makes the
    account, and (where the role needs one) sets up an authenticator app.
    Returns their page, signed in, and their authenticator's key."""
    first, last, _, said, second_factor = PEOPLE[email]
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    page = context.new_page()
    visit(page, live_server + link)
    assert f"has invited you to join {HUB} as {said}" in page.inner_text("main")
    check(page, f"the invitation to {email}")
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    press(page, "Create my account and accept")
    secret = ""
    if second_factor:
        assert urlsplit(page.url).path == "/accounts/2fa/totp/activate/"
        secret = page.locator("#authenticator-secret").inner_text().strip()
        enter_code(page, secret, "Turn on two-step sign-in")
    visit(page, live_server + "/")
    assert urlsplit(page.url).path == f"/h/{SLUG}/", f"{email} lands on the hub's dashboard"
    check(page, f"the dashboard of {email}")
    return page, secret


# ── the hub admin's configuration ─────────────────────────────────────────────


def write_policy(page, live_server) -> None:
    visit(page, live_server + "/admin/hubs/hubpolicy/add/")
    check(page, "the hub admin writes the hub's first policy")
    hubs = page.locator("#id_hub option").all_inner_texts()
    assert [h for h in hubs if h.strip("- ")] == [HUB], "only her own hub to choose"
    page.locator("#id_hub").select_option(label=HUB)
    page.locator("#id_title").fill("Sixth Music Hub commissioning policy")
    page.locator("#id_approved_by").fill("Sixth Music Hub board")
    page.locator("#id_approved_on").fill("01/09/2026")
    page.locator("#id_existing_partners_first").check()
    # Termly reports: the setting's term dates are the school year's, fixed in
    # code (monitoring/schedule.py), until a hub can set its own.
    page.locator("#id_reporting_cadence").select_option(ReportingCadence.TERMLY_SURVEYS)
    admin_save(page)


def open_route(page, live_server, words: str) -> None:
    visit(page, live_server + "/admin/hubs/decisionroute/")
    click_link(page, words, page.locator("#result_list"))


def fill_step(page, index: int, **values) -> None:
    for field, value in values.items():
        locator = page.locator(f"#id_steps-{index}-{field}")
        if isinstance(value, bool):
            locator.set_checked(value)
        elif locator.evaluate("e => e.tagName") == "SELECT":
            locator.select_option(value)
        else:
            locator.fill(str(value))


def set_award_routes(page, live_server) -> None:
    # The first policy came with routes a hub can run; the award route is
    # split by value: HLO staff decide under £10,000.
    open_route(page, live_server, "Awarding a partnership")
    # Not checked with axe: Django's tabular inlines label their cells by
    # title only (label-title-only), which is Django's page, not ours.
    page.locator("#id_below_value").fill("10000")
    fill_step(page, 0, kind="decide", body=Body.OFFICERS, needed=1, separate=False)
    admin_save(page)
    # From £10,000: the board comments (advisory, 7 days), then two approvers.
    visit(page, live_server + "/admin/hubs/decisionroute/add/")
    page.locator("#id_policy").select_option(index=1)
    page.locator("#id_kind").select_option(DecisionKind.AWARD)
    page.locator("#id_from_value").fill("10000")
    fill_step(page, 0, position=0, kind="comment", body=Body.BOARD, required=False)
    fill_step(page, 0, window_days=7)
    page.locator(".add-row a").click()
    fill_step(page, 1, position=1, kind="decide", body=Body.APPROVERS, needed=2, separate=True)
    admin_save(page)
    visit(page, live_server + "/admin/hubs/decisionroute/")
    listed = page.locator("#result_list").inner_text()
    assert "Awards under £10,000: one of the HLO staff decides." in listed
    assert (
        "Awards of £10,000 or more: the Hub board may be asked to comment (advisory) for 7 "
        "days, closing early once every member has commented; then 2 of the approvers (not "
        "whoever submitted it) must all approve." in listed
    )


def add_ground(page, live_server) -> None:
    """The hub's own decommissioning ground, beside the standard ones."""
    visit(page, live_server + "/admin/hubs/ground/add/")
    page.locator("#id_policy").select_option(index=1)
    page.locator("#id_position").fill("9")
    page.locator("#id_key").fill("branding")
    page.locator("#id_label").fill(BRANDING)
    page.locator("#id_kind").select_option("negative")
    admin_save(page)
    assert BRANDING in page.locator("#result_list").inner_text()


def add_partner(page, live_server) -> None:
    visit(page, live_server + "/admin/partners/partnerorganisation/add/")
    # Not checked with axe: Django's filter_horizontal widget puts aria-label
    # on a bare span (aria-prohibited-attr), Django's markup, not ours.
    page.locator("#id_name").fill(PARTNER_ORG)
    page.locator("#id_organisation_type").select_option(label="Charity")
    page.locator("#id_charity_number").fill("1100001")
    admin_save(page)
    # The admin no longer sets a partner's standing: HLO staff mark an official
    # Hub partner in the directory, through its gate (tests/partners/
    # test_standing.py). This hub's first partner is one from the start.
    from partners.models import PartnerOrganisation

    PartnerOrganisation.objects.filter(name=PARTNER_ORG).update(is_existing_partner=True)


# ── the hub's own pages ──────────────────────────────────────────────────────


def record_need(page, live_server) -> str:
    visit(page, f"{live_server}/h/{SLUG}/needs/")
    check(page, "the new hub's needs analyses, none yet")
    click_link(page, "Record a needs analysis")
    page.get_by_label("Title").fill("Needs analysis")
    page.get_by_label("Cycle").fill("2026/27")
    page.get_by_label("Schools").check()
    press(page, "Record the needs analysis")
    assert page.locator("h1").inner_text() == "2026/27 Needs analysis"
    check(page, "the new hub's needs analysis")
    click_link(page, "Add a need")
    page.get_by_label("Need", exact=True).fill("Too few young people play in a band")
    page.get_by_label("Priority").select_option(label="High")
    page.get_by_label("Specific target").fill("Young people in a Hub band each week")
    page.get_by_label("Measured by").fill("players registered")
    page.get_by_label("Baseline").fill("120")
    page.get_by_label("Target", exact=True).fill("200")
    page.get_by_label("Achieved by").fill("31/07/2027")
    press(page, "Add the need")
    assert page.locator("h1").inner_text() == "Too few young people play in a band"
    check(page, "a need with its SMART target")
    return page.url


def stage_of(page) -> str:
    return page.locator(".stage-badge").first.inner_text()


def move_form(page, action: str):
    return page.locator("form").filter(has=page.locator(f'input[value="{action}"]'))


def open_and_award(page, need_url: str, title: str, grant: str) -> Commission:
    visit(page, need_url)
    opening = page.locator("section").filter(
        has=page.get_by_role("heading", name="Open a commission to meet this need")
    )
    opening.get_by_label("Title").fill(title)
    opening.get_by_label("Hub grant amount (£)").fill(grant)
    press(page, "Open the commission")
    assert stage_of(page) == "Stage: Need identified"
    check(page, f"{title}: opened for the need")
    commission = Commission.objects.get(hub__slug=SLUG, title=title)

    start = move_form(page, "begin_identification")
    start.get_by_label("How will the partner be found?").select_option("existing_partner")
    press(page, "Start identifying a partner", start)
    assert stage_of(page) == "Stage: Identifying a partner"
    check(page, f"{title}: identifying a partner")

    award = move_form(page, "award")
    award.get_by_label("Partner organisation").select_option(label=PARTNER_ORG)
    award.get_by_label("Reason").fill("The needs analysis named this gap; they fill it.")
    press(page, "Award to a partner", award)
    assert stage_of(page) == "Stage: Drafting the agreement"
    check(page, f"{title}: awarded")
    return commission


def agreement_url(live_server, c: Commission, tail: str = "") -> str:
    return f"{live_server.url}/h/{SLUG}/commissions/{c.reference}/agreement/1/{tail}"


def draft(page, live_server, c: Commission) -> None:
    visit(page, f"{live_server.url}/h/{SLUG}/commissions/{c.reference}/")
    press(page, "Draft the partnership agreement")
    check(page, f"{c.title}: the agreement editor")
    page.get_by_label("Signs for the Hub Lead Organisation: name").fill("Olu Officer")
    page.locator("#id_hlo_signatory_role").fill("Head of Service")  # her title in the hub
    page.get_by_label("Signs for the partner: name").fill("Pat Partner")
    page.locator("#id_partner_signatory_role").fill("Director")
    press(page, "Save a new version")
    visit(page, agreement_url(live_server, c))
    assert page.locator(".stage-badge").inner_text() == "Status: Draft"
    check(page, f"{c.title}: the drafted agreement")


def sign_form(page, name: str, role: str, button: str) -> None:
    page.get_by_label("Your full name").fill(name)
    page.get_by_label("Your role").fill(role)
    page.get_by_label("I confirm the statement above").check()
    press(page, button)


def partner_signs_and_hlo_countersigns(officer, partner, live_server, c: Commission) -> None:
    visit(partner, agreement_url(live_server, c))
    click_link(partner, "Review and sign the agreement")
    sign_form(partner, "Pat Partner", "Director", "Sign the agreement")
    assert "Signed by the partner" in partner.locator(".stage-badge").inner_text()

    visit(officer, agreement_url(live_server, c))
    click_link(officer, "Countersign for")
    check(officer, f"{c.title}: countersigning")
    sign_form(officer, "Olu Officer", "Head of Service", "Countersign the agreement")
    assert officer.locator(".stage-badge").inner_text() == "Status: Signed by both parties"
    c.refresh_from_db()
    assert c.status == Stage.MONITORING
    assert Signature.objects.filter(agreement__commission=c).count() == 2


def decide(page, live_server, c: Commission) -> None:
    visit(page, agreement_url(live_server, c))
    page.get_by_label("Approve the partnership agreement").check()
    press(page, "Record the decision")


# ── the test ─────────────────────────────────────────────────────────────────


@pytest.fixture
def root(live_db):
    user = get_user_model().objects.create_superuser(ROOT, ROOT, PASSWORD)
    give_authenticator(user, TEST_TOTP_SECRET)
    return user


def test_a_sixth_hub_configured_in_the_admin_runs_two_commissions(page, browser, live_server, root):
    # The site administrator creates the hub and invites its admin.
    sign_in(page, live_server, ROOT, PASSWORD, TEST_TOTP_SECRET)
    visit(page, live_server + "/admin/hubs/hub/add/")
    page.locator("#id_name").fill(HUB)
    page.locator("#id_hlo_name").fill("Sixth County Music Service")
    page.locator("#id_slug").fill(SLUG)  # after the name, whose changes write a slug
    admin_save(page)
    hub = Hub.objects.get(name=HUB)
    assert hub.slug == SLUG
    admin_link = invite(page, live_server, ADMIN)
    page.context.close()

    # She, not a superuser, configures the hub in the admin.
    admin, _ = accept(browser, live_server, admin_link, ADMIN)
    hana = get_user_model().objects.get(email=ADMIN)
    assert not hana.is_superuser and hana.is_staff
    write_policy(admin, live_server)
    policy = HubPolicy.objects.get(hub=hub)
    set_award_routes(admin, live_server)
    add_ground(admin, live_server)
    add_partner(admin, live_server)

    links = {
        OFFICER: invite(admin, live_server, OFFICER, title="Head of Service"),
        ABI: invite(admin, live_server, ABI),
        BEN: invite(admin, live_server, BEN),
        BOARD: invite(admin, live_server, BOARD),
        PARTNER: invite(admin, live_server, PARTNER, partner=PARTNER_ORG),
    }
    visit(admin, live_server + "/admin/accounts/invitation/")
    pages = {email: accept(browser, live_server, link, email)[0] for email, link in links.items()}
    roles = set(Membership.objects.filter(hub=hub).values_list("user__email", "role"))
    assert roles == {
        (ADMIN, Role.HUB_ADMIN),
        (OFFICER, Role.HLO_STAFF),
        (ABI, Role.APPROVER),
        (BEN, Role.APPROVER),
        (BOARD, Role.BOARD_MEMBER),
        (PARTNER, Role.PARTNER_CONTACT),
    }
    officer, abi, ben, board, partner = (pages[e] for e in (OFFICER, ABI, BEN, BOARD, PARTNER))

    # The officer: a need, and the £5,000 commission, which the officer approves.
    need_url = record_need(officer, live_server)
    small = open_and_award(officer, need_url, "Band starter sessions", "5000")
    assert small.policy_id == policy.pk
    draft(officer, live_server, small)
    press(officer, "Submit the draft to the HLO staff")
    assert officer.locator(".stage-badge").inner_text() == "Status: Awaiting approval"
    check(officer, "the £5,000 agreement awaiting the officer's decision")
    decide(officer, live_server, small)
    assert officer.locator(".stage-badge").inner_text() == "Status: Issued for signature"
    partner_signs_and_hlo_countersigns(officer, partner, live_server, small)
    # Live, it owes a survey each term, then its final evaluation.
    visit(officer, f"{live_server.url}/h/{SLUG}/monitoring/partnerships/{small.reference}/")
    assert "term survey" in officer.locator("main").inner_text()
    check(officer, "a live partnership with its termly reports")
    kinds = list(Report.objects.filter(commission=small).values_list("kind", flat=True))
    assert kinds.count(ReportKind.TERMLY_SURVEY) >= 2, kinds  # three a year, bar a term's last day
    # It may be recommended for decommissioning on the hub's own grounds.
    visit(officer, f"{live_server.url}/h/{SLUG}/commissions/{small.reference}/")
    recommend = move_form(officer, "recommend_decommission")
    assert BRANDING in recommend.get_by_label("Grounds").locator("option").all_inner_texts()
    check(officer, "a live partnership, with the hub's own grounds to recommend on")
    visit(officer, f"{live_server.url}/hubs/{SLUG}/policy/")
    policy_text = officer.locator("main").inner_text()
    assert "Awards under £10,000: one of the HLO staff decides." in policy_text
    assert "Awards of £10,000 or more: the Hub board may be asked to comment" in policy_text
    assert BRANDING in policy_text
    check(officer, "the new hub's policy page")

    # The £20,000 commission: the board comments, then two approvers.
    large = open_and_award(officer, need_url, "Bands in every district", "20000")
    draft(officer, live_server, large)
    press(officer, "Send the draft to the Hub board for comment")
    assert "With the board for comment" in officer.locator(".stage-badge").inner_text()
    visit(board, agreement_url(live_server, large))
    board.get_by_label("Comment on").select_option(label="Payment schedule")
    board.get_by_label("Your comment").fill("The schedule pays too much up front.")
    press(board, "Add your comment")
    visit(officer, agreement_url(live_server, large))
    assert "The schedule pays too much up front." in officer.locator("main").inner_text()
    press(officer, "Close board comment and submit to the approvers")
    assert officer.locator(".stage-badge").inner_text() == "Status: Awaiting approval"
    check(officer, "the £20,000 agreement awaiting two approvers")

    decide(abi, live_server, large)
    assert abi.locator(".stage-badge").inner_text() == "Status: Awaiting approval"
    said = abi.locator("main").inner_text()
    assert "Your approval is recorded; the agreement still awaits approval." in said
    assert (
        "Your decision: You have approved this already; 1 more of the approvers must approve "
        "before it moves on (1 of 2 so far)." in said
    )
    # Her second try: the page no longer offers her approval, only a return.
    assert abi.get_by_label("Approve the partnership agreement").count() == 0
    check(abi, "an approval recorded, waiting for a second approver")
    large.refresh_from_db()
    assert large.status == Stage.APPROVAL
    # Not yet approved, the agreement is not the partner's to see, let alone sign.
    assert partner.goto(agreement_url(live_server, large)).status == 404

    decide(ben, live_server, large)
    assert "Done. The agreement is now: Issued for signature." in ben.inner_text("main")
    assert ben.locator(".stage-badge").inner_text() == "Status: Issued for signature"
    decisions = Decision.objects.filter(commission=large).values_list("actor__email", "outcome")
    assert list(decisions) == [(ABI, "approve"), (BEN, "approve")]
    partner_signs_and_hlo_countersigns(officer, partner, live_server, large)
    for p in (officer, abi, ben, board, partner, admin):
        p.context.close()
