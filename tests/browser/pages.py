"""A small community for the browser tests to look at: one category, a solved question
with tags, answers and comments, an unanswered one, and members to view it as."""

from dataclasses import dataclass

from django.urls import reverse

from accounts.models import User
from forum import actions
from forum.models import CategoryPage, Question
from tests.factories import CategoryFactory, UserFactory


@dataclass
class Community:
    category: CategoryPage
    question: Question
    asker: User
    answerer: User
    member: User  # may vote and comment on everything here

    def urls(self) -> dict[str, str]:
        """The pages every theme must get right, by name."""
        return {
            "home": "/",
            "category": self.category.url,
            "questions": reverse("forum:questions"),
            "question": self.question.get_absolute_url(),
            "ask": reverse("forum:ask"),
            "profile": reverse("accounts:profile", args=[self.answerer.username]),
            "signup": reverse("account_signup"),
        }


def build_community() -> Community:
    category = CategoryFactory(
        title="NusaRouter & Internet", intro="Setting up and troubleshooting the router."
    )
    asker = UserFactory(username="agus", display_name="Agus Pratama", reputation=120)
    answerer = UserFactory(username="maya", display_name="Maya Lestari", reputation=90)
    member = UserFactory(username="budi", reputation=1500)
    question = actions.ask_question(
        asker,
        title="How can I forward port 443 to my NAS behind the NusaRouter?",
        body="I set a rule under *Advanced → NAT* but nothing answers from outside.\n\n"
        "```\nNAT: 443 -> 192.168.1.20:443 (TCP)\n```",
        category=category,
        tags="nusarouter port-forwarding nas",
    )
    answer = actions.post_answer(
        answerer,
        question,
        body="Turn off **remote management** first: it listens on 443 itself. "
        "Then save the rule again and test from mobile data, not from your own Wi-Fi.",
    )
    actions.post_answer(member, question, body="Also check that your ISP gives you a public IP.")
    actions.post_comment(member, question, body="Which firmware version are you on?")
    actions.post_comment(asker, answer, body="That was it, thank you!")
    actions.cast_vote(member, answer, 1)
    actions.accept_answer(asker, question, answer)
    hosting = CategoryFactory(
        title="Cloud Hosting", intro="VPS, backups, snapshots and the API.", colour="#7c3aed"
    )
    billing = CategoryFactory(
        title="Billing & Payments", intro="Invoices, payment methods and refunds.", colour="#0f766e"
    )
    snapshots = actions.ask_question(
        answerer,
        title="Is there an API to create VPS snapshots from a cron job?",
        body="I'd like nightly snapshots without clicking through the panel.",
        category=hosting,
        tags="api vps",
    )
    actions.cast_vote(member, snapshots, 1)
    invoice = actions.ask_question(
        member,
        title="Why was I charged twice for my March invoice?",
        body="Two identical charges appeared on my card on the same day.",
        category=billing,
        tags="billing refund",
    )
    refund = actions.post_answer(
        answerer, invoice, body="The second one is a pre-authorisation; it drops off in 3 days."
    )
    actions.accept_answer(member, invoice, refund)
    return Community(category, question, asker, answerer, member)
