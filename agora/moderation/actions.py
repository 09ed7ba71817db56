"""The staff action log's verbs, with the words the log page shows for them. A verb not listed here (a
newer one, or one a plugin writes) is shown as it is stored."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "post_hide": _("hid a post"),
    "post_unhide": _("showed a hidden post again"),
    "post_delete": _("deleted a post"),
    "post_restore": _("restored a post"),
    "post_edit": _("edited a post"),
    "post_wiki": _("made a post a wiki"),
    "post_unwiki": _("made a wiki post an ordinary post"),
    "post_lock": _("locked a post's edits"),
    "post_unlock": _("unlocked a post's edits"),
    "post_requeue": _("sent an edited hidden post back to review"),
    "topic_close": _("closed a topic"),
    "topic_open": _("opened a topic"),
    "topic_pin": _("pinned a topic"),
    "topic_unpin": _("unpinned a topic"),
    "topic_unlist": _("changed whether a topic is listed"),
    "topic_archive": _("changed whether a topic is archived"),
    "topic_move": _("moved a topic"),
    "topic_recategorize": _("moved a topic to another category"),
    "topic_retitle": _("retitled a topic"),
    "topic_retag": _("changed a topic's tags"),
    "topic_merge": _("merged a topic into another"),
    "topic_split": _("split replies into a new topic"),
    "posts_move": _("moved replies to another topic"),
    "flag_agree": _("agreed with a flag"),
    "flag_disagree": _("disagreed with a flag"),
    "flag_ignore": _("ignored a flag"),
    "review_agree": _("agreed with the flags on a post"),
    "review_disagree": _("disagreed with the flags on a post"),
    "review_ignore": _("set the flags on a post aside"),
    "post_approve": _("approved a post"),
    "post_reject": _("rejected a post"),
    "user_silence": _("silenced a person"),
    "user_unsilence": _("lifted a silence"),
    "user_suspend": _("suspended a person"),
    "user_unsuspend": _("lifted a suspension"),
    "user_warn": _("warned a person"),
    "user_delete": _("deleted an account"),
    "trust_level_change": _("changed a trust level"),
    "page_edit": _("edited a site page"),
}


def action_label(verb: str) -> str:
    """What the log page says for a verb: its label, or the verb itself when it has none."""
    label = ACTIONS.get(verb)
    return str(label) if label is not None else verb
