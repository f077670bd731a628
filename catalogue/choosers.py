"""The producer chooser, scoped like every other admin surface (catalogue.wagtail_hooks uses it)."""

from django.http import Http404

from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenView,
)

from .access import producers_for


class ScopedProducersMixin:
    def get_object_list(self):
        return producers_for(self.request.user)


class ProducerChooseView(ScopedProducersMixin, ChooseView):
    pass


class ProducerChooseResultsView(ScopedProducersMixin, ChooseResultsView):
    pass


class ProducerChosenView(SnippetChosenView):
    def get_object(self, pk):
        try:
            return producers_for(self.request.user).get(pk=pk)
        except (ValueError, self.model_class.DoesNotExist) as exc:
            raise Http404 from exc


class ProducerChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ProducerChooseView
    choose_results_view_class = ProducerChooseResultsView
    chosen_view_class = ProducerChosenView
