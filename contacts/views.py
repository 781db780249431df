"""Media contact pages: the list and a vCard per contact."""

import vobject
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from .models import MediaContact


class MediaContactListView(ListView):
    template_name = "contacts/media_contact_list.html"
    context_object_name = "contacts"
    queryset = MediaContact.objects.filter(active=True).select_related("organisation")


def vcard(request, pk):
    """The contact as a vCard 3.0 file for an address book."""
    contact = get_object_or_404(
        MediaContact.objects.filter(active=True).select_related("organisation"), pk=pk
    )
    card = vobject.vCard()
    card.add("fn").value = contact.name
    given, _, family = contact.name.rpartition(" ")
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    if contact.role:
        card.add("title").value = contact.role
    card.add("org").value = [
        contact.organisation.name if contact.organisation else "CICA Secretariat"
    ]
    if contact.phone:
        tel = card.add("tel")
        tel.value = contact.phone
        tel.type_param = "WORK"
    if contact.email:
        email = card.add("email")
        email.value = contact.email
        email.type_param = "INTERNET"
    response = HttpResponse(card.serialize(), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cica-media-contact-{contact.pk}.vcf"'
    return response
