"""The four site pages with default texts, so a new site has them from its first start. Written in our
own words, in the spirit of the Wikimedia Universal Code of Conduct; staff adapt them in the site.

No member is asked to accept this first version: see pages/queries.py (BASELINE_VERSION) for why."""

from django.db import migrations

CODE_OF_CONDUCT = """\
This space belongs to everyone who takes part in it. We come from many countries, languages, beliefs and
walks of life, and we disagree often. This code says how we treat each other while we do. It applies to
everything here: topics and replies, private messages, groups, events, stories and profiles, and to how
members of this community treat each other elsewhere when it is about what happens here.

## What we expect of everyone

- **Respect people, argue with ideas.** Criticise a proposal, an edit or a decision; never the person
  behind it. Assume good faith until there is clear evidence otherwise.
- **Be kind to newcomers.** Everyone was new once. Explain, point to help, and be patient with questions
  that have been asked before.
- **Listen across differences.** People write in a second or third language, come from other cultures
  and see things differently. Ask before you assume you were insulted.
- **Use inclusive language.** Address people by the name and pronouns they use. Avoid jokes and
  stereotypes at the expense of a group.
- **Take responsibility.** If you hurt someone, even without meaning to, listen and apologise. We all
  make mistakes; what matters is what we do next.
- **Help keep the space healthy.** If you see something that breaks this code, flag it or tell the
  moderators. Do not answer abuse with abuse.

## What is not acceptable

- **Harassment** of any kind: insults, name-calling, repeated unwanted contact, intimidation, stalking,
  following someone around the site to undermine them, or encouraging others to do so.
- **Threats** of violence, of harm to someone's safety, reputation or livelihood, or of legal action used
  to silence people.
- **Hate and discrimination**: attacks or slurs based on ethnicity, nationality, religion, caste, gender,
  gender identity, sexual orientation, age, disability, appearance, or any other part of who someone is.
- **Sexual harassment**: unwelcome sexual attention, comments or images; sexual content involving minors
  is never allowed and is reported to the authorities.
- **Disclosing private information** (doxxing): sharing someone's real name, address, workplace,
  photographs or other personal details they have not made public here, or guessing at them.
- **Abuse of power**: using a role, trust level or moderator tool to settle a personal dispute, to
  intimidate, or to give oneself or one's friends an advantage.
- **Deception and manipulation**: impersonating others, using several accounts to fake support,
  deliberately spreading false information, or spam.
- **Sabotage**: deliberately disrupting discussions, vandalising shared content, or flooding the site.

## What happens when the code is broken

Moderators are volunteers from the community and the site's staff. They can hide or edit a post, warn a
member privately, silence an account for a time (it can read but not write), or suspend it. They act in
proportion: a first, small lapse usually gets a friendly word; repeated or serious harm gets firmer
action, at once if people are in danger. Every moderator action is recorded in a log that staff review.

If you were moderated and think it was a mistake, write to the moderators; another moderator will look
at it again.

## How to report a problem

- Flag the post: the flag goes to the moderators' review queue.
- Write to the moderators through *Message the moderators* at the foot of every page (once signed
  in). You may write anonymously if you need to.
- If someone is in immediate danger, contact your local emergency services first.

Reports are read by moderators only and handled discreetly. Retaliating against someone for a report
made in good faith is itself a breach of this code.

## Changes to this code

Staff may improve the wording at any time; every change is in this page's history. When a change alters
what we ask of members, everyone is asked to read and accept the new version at their next visit.
"""

GUIDELINES = """\
These guidelines are the practical side of the [code of conduct](/code-of-conduct): how to get the most
out of the discussions here.

## Before you post

- **Search first.** Your question may already have an answer. If an old topic is close, reply there
  rather than starting a new one.
- **Pick the right category** and add a few tags, so the people who know find your topic.
- **Write a clear title**: "How do I upload a photo to Commons from my phone?" is better than "Help!".

## Writing

- **Stay on topic.** Start a new topic for a new subject; link to the old one if it helps.
- **Add something.** Instead of a reply that says only "+1" or "me too", use the like button.
- **Quote briefly.** Select the part you answer and press *Quote*; do not quote a whole long post.
- **Write for everyone.** Many readers use a translation tool: short sentences and plain words help.
- **Credit and link your sources.** Do not post others' work as your own or content you have no right to
  share.
- **Images by address** are fetched by this site and served from here, so readers' addresses are never
  sent to other sites. An image that cannot be fetched shows a small notice instead.

## When you disagree

Disagreement is welcome and often useful. Reply to the argument, not the person; if a discussion becomes
heated, step away for a while. If something crosses a line, flag it instead of answering it.

## Trust levels

New accounts have a few limits (links, images, how fast they can post) that lift as they take part:
reading, replying and being liked. This keeps spam out without getting in the way of real people. If a
limit stops you, the message says what to do and when it lifts.

## Flags

Flag a post when it breaks the code of conduct, is spam, or belongs somewhere else. Flags are private and
go to the moderators. Please do not flag a post only because you disagree with it.
"""

EDITORIAL_GUIDELINES = """\
These guidelines are for everyone who writes for the blog, and for the editorial board that reviews the
stories. The [code of conduct](/code-of-conduct) applies here as everywhere.

## What we publish

- Stories about the movement: projects, events, communities, people and what they learned.
- Accounts from the people who were there, in their own voice.
- Stories in any language; a translation may be linked to its original.

## What we do not publish

- Advertising, fundraising for private causes, or promotion of a product.
- Personal attacks, or stories about people that they have not agreed to.
- Work copied from elsewhere without a free licence and a credit.

## Writing a story

- **A clear title and a short summary.** Readers decide from them whether to read on.
- **Facts you can show.** Link to sources; say what you saw and what others told you.
- **Images you may share**, with their credit and licence. Ask people before you publish a photograph
  in which they can be recognised.
- **Plain words.** Many readers read in a second language.

## Review

A member of the editorial board reads every story before it is published. They may suggest changes,
ask questions, or decline a story that does not fit these guidelines; they always say why. Authors keep
the right to withdraw a story until it is published. Corrections after publication are marked at the
end of the story.
"""

ABOUT = """\
This is a meeting place for the people of the movement: a forum for discussions, groups for teams and
communities, a calendar of events and a blog for their stories.

It is run by its community, under a [code of conduct](/code-of-conduct), with volunteer moderators who
rise through trust levels as they take part. Any member can reach the moderators, anonymously if they
need to, through *Message the moderators* at the foot of every page.

## Privacy

Images in posts are served from this site, never loaded from other sites by your browser, so reading a
topic does not tell a third party who you are.

## Taking part

[Sign up](/accounts/signup/) to write, join groups and answer events. Please read the
[community guidelines](/guidelines) first.
"""

PAGES = [
    ("code-of-conduct", "Code of conduct", CODE_OF_CONDUCT),
    ("guidelines", "Community guidelines", GUIDELINES),
    ("editorial-guidelines", "Editorial guidelines", EDITORIAL_GUIDELINES),
    ("about", "About", ABOUT),
]


def seed(apps, schema_editor):
    from agora.core.markdown import render_markdown

    SitePage = apps.get_model("pages", "SitePage")
    SitePageRevision = apps.get_model("pages", "SitePageRevision")
    for slug, title, raw in PAGES:
        if SitePage.objects.filter(slug=slug).exists():
            continue
        raw = raw.strip()
        page = SitePage.objects.create(slug=slug, title=title, raw=raw, html=render_markdown(raw), version=1)
        SitePageRevision.objects.create(page=page, number=1, title=title, raw=raw, version=1, note="Default text.")


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
