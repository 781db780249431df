"""What the editorial layer tells the apps above it (alerts...), without knowing them."""

from django.dispatch import Signal

# Sent after an item's save changed its state or its go-live time, whatever path saved it
# (form, bulk action, import, code): sender=the model, item=the saved item,
# previous_status / previous_publish_at = as loaded (None for a new item). Receivers that
# act on the outside world should wait for the commit (transaction.on_commit).
state_changed = Signal()
