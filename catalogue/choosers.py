"""Admin choosers for producers and records, scoped like every other admin surface (catalogue.access)."""

from django.http import Http404

from wagtail.admin.forms.choosers import BaseFilterForm, SearchFilterMixin
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenView,
)

from .access import certifications_for, producers_for


class ScopedListMixin:
    scope = None  # a function of the user, from catalogue.access

    def get_object_list(self):
        return self.scope(self.request.user)


class ScopedChosenView(SnippetChosenView):
    scope = None

    def get_object(self, pk):
        try:
            return self.scope(self.request.user).get(pk=pk)
        except (ValueError, self.model_class.DoesNotExist) as exc:
            raise Http404 from exc


class ProducerChooseView(ScopedListMixin, ChooseView):
    scope = staticmethod(producers_for)


class ProducerChooseResultsView(ScopedListMixin, ChooseResultsView):
    scope = staticmethod(producers_for)


class ProducerChosenView(ScopedChosenView):
    scope = staticmethod(producers_for)


class ProducerChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ProducerChooseView
    choose_results_view_class = ProducerChooseResultsView
    chosen_view_class = ProducerChosenView


class RecordSearchFilterForm(SearchFilterMixin, BaseFilterForm):
    """Records are sought as on /verify/ (Certification.objects.matching): "1567/QĐ-UBND" finds
    its decision on either database, which the search index's tokenisers do not agree on."""

    def filter(self, objects):
        objects = BaseFilterForm.filter(self, objects)
        query = self.cleaned_data.get("q")
        if not query:
            return objects
        self.is_searching, self.search_query = True, query
        return objects.matching(query)


class CertificationChooseView(ScopedListMixin, ChooseView):
    scope = staticmethod(certifications_for)
    filter_form_class = RecordSearchFilterForm


class CertificationChooseResultsView(ScopedListMixin, ChooseResultsView):
    scope = staticmethod(certifications_for)
    filter_form_class = RecordSearchFilterForm


class CertificationChosenView(ScopedChosenView):
    scope = staticmethod(certifications_for)


class CertificationChooserViewSet(SnippetChooserViewSet):
    choose_view_class = CertificationChooseView
    choose_results_view_class = CertificationChooseResultsView
    chosen_view_class = CertificationChosenView
