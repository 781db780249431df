"""Who may fetch a file: anyone, once something public shows it; staff who may view the
library; the holder of a usable preview link of an item the file is attached to."""

from editorial.previews import PreviewLinkBase


def preview_item(token: str):
    """The item a usable preview link `token` shows, or None (the concrete link models are the
    apps' own: found through the base class, so the library imports none of them)."""
    if not token:
        return None
    for model in PreviewLinkBase.__subclasses__():
        link = model.find(token)
        if link is not None:
            return getattr(link, model.item_field)
    return None


def may_fetch(request, record, kind: str) -> tuple[bool, bool]:
    """(allowed, public): public answers may be cached by anyone; the others are private."""
    if type(record).objects.public().filter(pk=record.pk).exists():
        return True, True
    user = request.user
    if user.is_authenticated and user.is_staff and user.has_perm(f"library.view_{kind}"):
        return True, False
    item = preview_item(request.GET.get("preview", ""))
    if item is not None and record.pk in item.attached_media(kind):
        return True, False
    return False, False
