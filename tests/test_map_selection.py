"""A click reuses the filter state's map updates: with_selection gives what map_updates gives."""

from __future__ import annotations

import pytest

from dashboard import callbacks as cb
from dashboard.counting import count_by_place
from dashboard.data import AtlasData, place_table
from dashboard.figures import map_updates, with_selection
from dashboard.options import CountMode
from dashboard.viewstate import Filters


@pytest.mark.parametrize("mode", list(CountMode))
def test_with_selection_is_map_updates_with_the_place_selected(
    atlas_data: AtlasData, mode: CountMode
) -> None:
    counts = count_by_place(atlas_data, atlas_data.tasks["task_id"], mode)
    plain = map_updates(counts, atlas_data.places_geojson, mode=mode)
    names = list(place_table(atlas_data)["name"])
    assert len(names) == 18
    for place in names:
        selected = map_updates(counts, atlas_data.places_geojson, mode=mode, selected=place)
        assert with_selection(plain, place) == selected
        assert with_selection(plain, place) != plain
    assert with_selection(plain, None) == plain


def test_a_click_reuses_the_numbers_of_its_filter_state(atlas_data: AtlasData) -> None:
    asked: list[Filters] = []

    def numbers(f: Filters) -> cb.ViewNumbers:
        asked.append(f)
        return cb.view_numbers(atlas_data, f)

    f = Filters(plans=("wr2024",))
    cb.on_filters(atlas_data, f, numbers)
    cb.on_filters(atlas_data, Filters(plans=("wr2024",), place="江夏区"), numbers)
    assert asked == [f, f]
