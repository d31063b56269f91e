"""Every action through the real widgets: keys on the text, clicks on the palette and panel."""

from __future__ import annotations

from fixtures import PLAIN, REPORT, find
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QTextDocument
from PySide6.QtWidgets import QTableWidget

from annotator.domain import ArticleState, Layer, Status
from annotator.store import Store


def select_text(window, needle: str) -> None:
    """Select ``needle`` the way a user would: by document positions, not through our offset map."""
    cursor = window.view.document().find(needle, 0, QTextDocument.FindCaseSensitively)
    assert not cursor.isNull(), needle
    window.view.setTextCursor(cursor)


def own_spans(window, article_id=None):
    article_id = article_id or window.controller.session.article.id
    return [s for s in window.store.spans.for_article(article_id, "ana") if not s.is_suggestion]


def key(qtbot, window, key, modifier=Qt.NoModifier):
    qtbot.keyClick(window.view, key, modifier)


def test_window_opens_on_first_article_with_suggestions_drawn(window, project):
    _path, ids = project
    assert window.controller.session.article.id == ids["report"]
    assert window.view.toPlainText().startswith("Shelling damages water plant")
    assert len(window.view.shown_span_ids()) == 7
    start, _ = find(REPORT, "Oksana Hrytsenko")
    plain = window.view.fill_colour_at(find(REPORT, "regional governor")[0])
    person = window.view.fill_colour_at(start + len("Oksana"))  # the space inside the name
    assert plain.name() == "#fbfaf6" and person.name() != plain.name()
    assert person.red() > person.blue()  # tinted with PERSON's red
    assert window.span_panel.model.rowCount() == 7
    assert "Done 0 of 5" in window.progress_label.text()


def test_window_label_key_adds_span_snapped_to_words(window, qtbot):
    cursor = window.view.document().find("overnigh")  # part of a word, plus nothing else
    cursor.setPosition(cursor.selectionStart() + 2, cursor.MoveMode.MoveAnchor)
    cursor.setPosition(cursor.position() + 3, cursor.MoveMode.KeepAnchor)
    window.view.setTextCursor(cursor)
    key(qtbot, window, Qt.Key_D)
    [span] = own_spans(window)
    assert (span.label, span.layer, span.text_in(REPORT)) == ("DATE", Layer.ENTITY, "overnight")
    assert span.annotator == "ana" and span.status is Status.ACCEPTED
    assert window.controller.session.selected == span.id


def test_window_snapping_off_keeps_exact_characters(window, qtbot):
    window.actions["snap"].trigger()  # switch snapping off
    assert window.controller.preferences.snap_to_tokens is False
    select_text(window, "ssault")
    key(qtbot, window, Qt.Key_B)
    [span] = own_spans(window)
    assert span.text_in(REPORT) == "ssault" and span.layer is Layer.EVENT
    assert span.attributes["modality"] == "happened"


def test_window_palette_click_adds_span(window, qtbot):
    select_text(window, "drones")
    qtbot.mouseClick(window.palette.buttons["WEAPON"], Qt.LeftButton)
    [span] = own_spans(window)
    assert (span.label, span.text_in(REPORT)) == ("WEAPON", "drones")


def test_window_tab_moves_between_spans_and_panel_follows(window, qtbot, project):
    _path, ids = project
    c = window.controller
    order = window.view.shown_span_ids()
    key(qtbot, window, Qt.Key_Tab)
    assert c.session.selected == order[0]
    key(qtbot, window, Qt.Key_Tab)
    assert c.session.selected == order[1]
    assert window.span_panel.table.currentIndex().row() == window.span_panel.model.row_of(order[1])
    key(qtbot, window, Qt.Key_Backtab, Qt.ShiftModifier)
    assert c.session.selected == order[0]
    # Selecting in the panel selects in the text.
    row = window.span_panel.model.row_of(ids["brigade"])
    window.span_panel.table.selectRow(row)
    assert c.session.selected == ids["brigade"] and window.view.selected_span_id == ids["brigade"]


def test_window_click_on_span_in_text_selects_it(window, qtbot, project):
    _path, ids = project
    view = window.view
    start, end = find(REPORT, "58th Brigade")
    cursor = view.textCursor()
    cursor.setPosition(view.offsets.to_doc(start + 3))
    point = view.cursorRect(cursor).center()
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=QPoint(point.x(), point.y()))
    assert window.controller.session.selected == ids["brigade"]
    assert window.span_panel.table.currentIndex().row() == window.span_panel.model.row_of(ids["brigade"])


def test_window_accept_reject_and_undo_redo(window, qtbot, project):
    _path, ids = project
    c = window.controller
    c.select(ids["brigade"])
    key(qtbot, window, Qt.Key_A)
    [mine] = own_spans(window)
    assert mine.suggestion_id == ids["brigade"] and mine.status is Status.ACCEPTED
    assert ids["brigade"] not in window.view.shown_span_ids() and mine.id in window.view.shown_span_ids()
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier)
    assert own_spans(window) == [] and ids["brigade"] in window.view.shown_span_ids()
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert [s.id for s in own_spans(window)] == [mine.id]  # redo brings back the same span
    c.select(ids["town"])
    key(qtbot, window, Qt.Key_X)
    rejected = [s for s in own_spans(window) if s.status is Status.REJECTED]
    assert [s.suggestion_id for s in rejected] == [ids["town"]]
    assert ids["town"] not in window.view.shown_span_ids()
    window.actions["undo"].trigger()
    assert ids["town"] in window.view.shown_span_ids()


def test_window_accept_all_is_one_undo_step(window, qtbot, project):
    _path, ids = project
    key(qtbot, window, Qt.Key_A, Qt.ShiftModifier)
    mine = own_spans(window)
    assert len(mine) == 7 and all(s.status is Status.ACCEPTED for s in mine)
    event = next(s for s in mine if s.layer is Layer.EVENT)
    roles = sorted(a.role for a in window.store.arguments.of_event(event.id))
    assert roles == ["LOCATION", "TARGET"]
    # Accepting the event linked the already-accepted entities instead of copying them again.
    assert len({s.suggestion_id for s in mine}) == 7
    assert window.controller.undo_stack.count() == 1
    window.actions["undo"].trigger()
    assert own_spans(window) == [] and len(window.view.shown_span_ids()) == 7
    window.actions["redo"].trigger()
    assert sorted(s.id for s in own_spans(window)) == sorted(s.id for s in mine)


def test_window_relabel_by_key_and_dialog(window, qtbot, answers):
    select_text(window, "ministry of defence")
    key(qtbot, window, Qt.Key_O)
    [span] = own_spans(window)
    key(qtbot, window, Qt.Key_G)  # no text selection: relabels the selected span
    assert own_spans(window)[0].label == "ARMED_GROUP"
    answers.append("PERSON")
    key(qtbot, window, Qt.Key_F2)
    assert own_spans(window)[0].label == "PERSON"
    window.actions["undo"].trigger()
    window.actions["undo"].trigger()
    assert own_spans(window)[0].label == "ORG"


def test_window_relabel_of_suggestion_accepts_a_corrected_copy(window, qtbot, project):
    _path, ids = project
    window.controller.select(ids["brigade"])
    key(qtbot, window, Qt.Key_O)
    [mine] = own_spans(window)
    assert (mine.label, mine.suggestion_id) == ("ORG", ids["brigade"])
    window.actions["undo"].trigger()
    assert own_spans(window) == [] and ids["brigade"] in window.view.shown_span_ids()


def test_window_narrowing_by_keyboard_skips_punctuation_only_steps(window, qtbot):
    select_text(window, "the town's hospital")
    key(qtbot, window, Qt.Key_F)
    key(qtbot, window, Qt.Key_Left, Qt.AltModifier | Qt.ShiftModifier)  # narrow the end: "hospital" goes
    assert own_spans(window)[0].text_in(REPORT) == "the town's"
    key(qtbot, window, Qt.Key_Left, Qt.AltModifier | Qt.ShiftModifier)  # "'s" goes in one press
    assert own_spans(window)[0].text_in(REPORT) == "the town"
    key(qtbot, window, Qt.Key_Right, Qt.AltModifier | Qt.ShiftModifier)  # and comes back in one
    assert own_spans(window)[0].text_in(REPORT) == "the town's"


def test_window_boundaries_move_by_keyboard(window, qtbot):
    select_text(window, "water plant on")
    key(qtbot, window, Qt.Key_F)  # over the suggested "municipal water plant", which it settles (rejects)

    def drawn(window):
        return [s for s in own_spans(window) if s.suggestion_id is None]

    key(qtbot, window, Qt.Key_Left, Qt.AltModifier)
    assert drawn(window)[0].text_in(REPORT) == "municipal water plant on"
    key(qtbot, window, Qt.Key_Left, Qt.AltModifier | Qt.ShiftModifier)
    assert drawn(window)[0].text_in(REPORT) == "municipal water plant"
    key(qtbot, window, Qt.Key_Right, Qt.AltModifier | Qt.ShiftModifier)
    key(qtbot, window, Qt.Key_Right, Qt.AltModifier)
    assert drawn(window)[0].text_in(REPORT) == "water plant on"
    key(qtbot, window, Qt.Key_Right, Qt.AltModifier)
    assert drawn(window)[0].text_in(REPORT) == "plant on"
    # The moves are merged into one undo step; undo restores the boundaries the span was made with.
    window.actions["undo"].trigger()
    assert drawn(window)[0].text_in(REPORT) == "water plant on"
    window.actions["undo"].trigger()
    assert drawn(window) == []


def test_window_delete_and_undo_restores_same_span(window, qtbot, project):
    _path, ids = project
    select_text(window, "hospital")
    key(qtbot, window, Qt.Key_F)
    [span] = own_spans(window)
    window.store.arguments.add(ids["fire"], ids["plant"], "ACTOR")
    key(qtbot, window, Qt.Key_Delete)
    assert own_spans(window) == []
    window.actions["undo"].trigger()
    assert [s.id for s in own_spans(window)] == [span.id]
    # Delete on a suggestion rejects it for this annotator only.
    window.controller.select(ids["plant"])
    key(qtbot, window, Qt.Key_Delete)
    decided = [s for s in own_spans(window) if s.suggestion_id == ids["plant"]]
    assert decided and decided[0].status is Status.REJECTED
    assert window.store.spans.get(ids["plant"]).status is Status.PENDING


def test_window_link_argument_with_role_key(window, qtbot, project):
    _path, ids = project
    c = window.controller
    select_text(window, "repelled an assault")
    key(qtbot, window, Qt.Key_B)
    [event] = own_spans(window)
    c.select(ids["brigade"])  # a suggestion: linking accepts it
    key(qtbot, window, Qt.Key_1)
    links = window.store.arguments.of_event(event.id)
    assert [a.role for a in links] == ["ACTOR"]
    brigade = window.store.spans.get(links[0].filler_id)
    assert brigade.suggestion_id == ids["brigade"] and brigade.annotator == "ana"
    assert c.session.selected == event.id
    assert window.span_panel.arguments.count() == 1
    assert window.span_panel.arguments.item(0).text() == "ACTOR: “58th Brigade”  ARMED_GROUP"  # text and label
    window.actions["undo"].trigger()
    assert window.store.arguments.of_event(event.id) == []
    assert ids["brigade"] in window.view.shown_span_ids()
    window.actions["redo"].trigger()
    window.span_panel.arguments.setCurrentRow(0)
    qtbot.mouseClick(window.span_panel.remove_argument, Qt.LeftButton)
    assert window.store.arguments.of_event(event.id) == []


def test_window_event_attributes_by_keyboard_and_panel(window, qtbot, answers, project):
    _path, ids = project
    c = window.controller
    c.select(ids["fire"])
    key(qtbot, window, Qt.Key_M)  # happened -> planned (accepts the suggestion into a fixed copy)
    [event] = [s for s in own_spans(window) if s.layer is Layer.EVENT]
    assert event.attributes["modality"] == "planned"
    assert event.attributes["sub_event_type"] == "Shelling/artillery/missile attack"
    answers.append("Air/drone strike")
    key(qtbot, window, Qt.Key_U)
    answers.append("regional governor")
    key(qtbot, window, Qt.Key_Y)
    event = window.store.spans.get(event.id)
    assert event.attributes == {"modality": "planned", "sub_event_type": "Air/drone strike",
                                "reported_by": "regional governor"}
    panel = window.span_panel
    assert panel.modality.currentText() == "planned" and panel.reported_by.text() == "regional governor"
    panel.modality.setCurrentIndex(panel.modality.findData("denied"))
    panel.modality.activated.emit(panel.modality.currentIndex())
    assert window.store.spans.get(event.id).attributes["modality"] == "denied"
    window.actions["undo"].trigger()
    assert window.store.spans.get(event.id).attributes["modality"] == "planned"


def test_window_done_skip_flag_and_undo_returns_to_article(window, qtbot, answers, project):
    _path, ids = project
    store = window.store
    c = window.controller
    qtbot.keyClick(window.view, Qt.Key_Return, Qt.ControlModifier)
    assert store.states.get(ids["report"], "ana")[0] is ArticleState.DONE
    assert c.session.article.id == ids["tricky"]
    assert "Done 1 of 5" in window.progress_label.text()
    qtbot.keyClick(window.view, Qt.Key_Return, Qt.ControlModifier | Qt.ShiftModifier)
    assert store.states.get(ids["tricky"], "ana")[0] is ArticleState.SKIPPED
    assert c.session.article.id == ids["plain0"]
    answers.append("text is cut off")
    qtbot.keyClick(window.view, Qt.Key_F, Qt.ControlModifier | Qt.ShiftModifier)
    assert store.states.get(ids["plain0"], "ana")[:2] == (ArticleState.FLAGGED, "text is cut off")
    window.actions["undo"].trigger()
    assert store.states.get(ids["plain0"], "ana")[0] is not ArticleState.FLAGGED
    window.actions["undo"].trigger()  # undo the skip: back to the tricky article
    assert c.session.article.id == ids["tricky"]
    window.actions["undo"].trigger()  # undo done: back to the report
    assert c.session.article.id == ids["report"]
    assert store.states.get(ids["report"], "ana")[0] is not ArticleState.DONE


def test_window_undo_after_moving_on_reopens_the_article(window, qtbot, project):
    _path, ids = project
    select_text(window, "Thursday")
    key(qtbot, window, Qt.Key_D)
    window.controller.open_article(ids["plain1"])
    window.actions["undo"].trigger()
    assert window.controller.session.article.id == ids["report"]
    assert own_spans(window, ids["report"]) == []


def test_window_article_list_filters_and_search(window, qtbot, project):
    _path, ids = project
    panel = window.article_list
    panel.search.setText("ceasefire")
    panel.apply_filter()
    assert panel.model.rowCount() == 1 and panel.model.article_at(0).title == PLAIN[1][0]
    panel.search.clear()
    panel.pending_filter.setChecked(True)
    assert [panel.model.article_at(r).id for r in range(panel.model.rowCount())] == [ids["report"]]
    panel.pending_filter.setChecked(False)
    panel.table.selectRow(panel.model.row_of(ids["plain2"]))
    qtbot.mouseClick(panel.table.viewport(), Qt.LeftButton,
                     pos=panel.table.visualRect(panel.model.index(panel.model.row_of(ids["plain2"]), 1)).center())
    assert window.controller.session.article.id == ids["plain2"]


def test_window_switch_annotator_shows_their_own_layer(window, qtbot, answers, project):
    _path, ids = project
    window.controller.select(ids["brigade"])
    key(qtbot, window, Qt.Key_A)
    answers.append("ben")
    qtbot.keyClick(window.view, Qt.Key_N, Qt.ControlModifier | Qt.ShiftModifier)
    assert window.controller.session.annotator == "ben"
    assert ids["brigade"] in window.view.shown_span_ids()  # ben has not decided it yet
    assert window.controller.undo_stack.count() == 0
    select_text(window, "Red Cross")
    key(qtbot, window, Qt.Key_O)
    ben = [s for s in window.store.spans.for_article(ids["report"], "ben") if not s.is_suggestion]
    assert [s.annotator for s in ben] == ["ben"]


def test_window_switch_annotator_refuses_the_reserved_gold_name(window, qtbot, answers):
    answers.append("gold")
    qtbot.keyClick(window.view, Qt.Key_N, Qt.ControlModifier | Qt.ShiftModifier)
    assert window.controller.session.annotator == "ana"
    assert "reserved" in window.statusBar().currentMessage()


def test_window_modality_key_on_an_event_without_modality_gives_planned(window, qtbot):
    select_text(window, "repelled an assault")
    key(qtbot, window, Qt.Key_B)
    [event] = own_spans(window)
    window.store.spans.update(event.id, attributes={})  # e.g. imported from a tool without modality
    window.controller.reload_spans(event.id)
    key(qtbot, window, Qt.Key_M)
    assert window.store.spans.get(event.id).attributes["modality"] == "planned"


def test_window_help_lists_every_shortcut(window, qtbot):
    qtbot.keyClick(window.view, Qt.Key_F1)
    table = window.shortcuts_dialog.findChild(QTableWidget)
    listed = {table.item(r, 1).text(): table.item(r, 2).text() for r in range(table.rowCount())}
    assert listed["Accept suggestion"] == "A"
    assert listed["Undo"] == "Ctrl+Z"
    assert listed["PERSON (entity)"] == "P"
    assert all(keys for keys in listed.values()), "every action has a key"


def test_window_no_key_triggers_two_actions_in_either_scheme(qtbot, project, answers):
    from conftest import open_test_window

    path, _ids = project
    for scheme in ("conflict", "ace2005"):
        with Store.open(path) as store:
            store.set_setting("scheme", scheme)
        window = open_test_window(qtbot, path)
        keys = [s.toString() for action in window.actions.values() for s in action.shortcuts()]
        assert len(keys) == len(set(keys)), scheme
        if scheme == "ace2005":
            assert window.actions["label:MOVEMENT_TRANSPORT"].shortcut().toString() == "M"
            assert window.actions["modality"].shortcut().toString() == "Ctrl+Alt+M"
        window.close()
        window.store.close()


def test_window_undo_of_something_another_window_removed_is_reported(window, qtbot):
    select_text(window, "Thursday")
    key(qtbot, window, Qt.Key_D)
    [span] = own_spans(window)
    with Store.open(window.db_path) as other:  # a second window deletes it meanwhile
        other.spans.delete(span.id, actor="ana")
    window.actions["undo"].trigger()
    assert "Could not undo" in window.statusBar().currentMessage()
    assert span.id not in window.view.shown_span_ids()
    assert own_spans(window) == []


def test_window_long_article_shows_first_screen_then_every_span(window, qtbot):
    from annotator.session import PARTIAL_ABOVE_CHARS
    from annotator.domain import Origin

    store = window.store
    sentence = "Militia fighters shelled the ridge near Oakford at dawn. "
    text = sentence * (PARTIAL_ABOVE_CHARS * 6 // 5 // len(sentence))
    article_id, _ = store.articles.add(text, title="Long")
    starts = [i * len(sentence) for i in range(0, len(text) // len(sentence), 7)]
    for start in starts:
        store.spans.add(article_id, start + 40, start + 47, "LOCATION", Layer.ENTITY, annotator=None,
                        origin=Origin.SUGGESTED, status=Status.PENDING)
    c = window.controller
    c.open_article(article_id)
    first_screen = len(window.view.shown_span_ids())
    assert 0 < first_screen < len(starts)
    key(qtbot, window, Qt.Key_A, Qt.ShiftModifier)  # before the rest arrived: still all of them
    assert len(own_spans(window, article_id)) == len(starts)
    window.actions["undo"].trigger()
    qtbot.waitUntil(lambda: len(window.view.shown_span_ids()) == len(starts), timeout=2000)
    assert window.span_panel.model.rowCount() == len(starts)


def test_window_right_click_menu_offers_the_span_actions(window, qtbot, project):
    _path, ids = project
    view = window.view
    start, _ = find(REPORT, "58th Brigade")
    cursor = view.textCursor()
    cursor.setPosition(view.offsets.to_doc(start + 2))
    point = view.cursorRect(cursor).center()
    view.spanMenuRequested.disconnect()
    requested = []
    view.spanMenuRequested.connect(lambda span_id, _pos: requested.append(span_id))
    from PySide6.QtGui import QContextMenuEvent

    view.contextMenuEvent(QContextMenuEvent(QContextMenuEvent.Mouse, point, view.mapToGlobal(point)))
    assert requested == [ids["brigade"]]
    window.controller.select(ids["brigade"])
    menu = window.span_menu()
    texts = [a.text().replace("&", "") for a in menu.actions()]
    assert texts[:2] == ["Accept suggestion", "Reject suggestion"]
    menu.actions()[0].trigger()
    assert [s.suggestion_id for s in own_spans(window)] == [ids["brigade"]]


def test_window_adding_a_span_far_down_keeps_the_text_where_it_was(window, qtbot):
    c = window.controller
    store = window.store
    text = "".join(f"Paragraph {i}: shelling was reported near Riverton.\n" for i in range(300))
    article_id, _ = store.articles.add(text, title="Many paragraphs")
    c.open_article(article_id)
    window.view.select_offsets(text.index("Paragraph 250"), text.index("Paragraph 250") + 9)
    window.view.ensureCursorVisible()
    scrolled = window.view.verticalScrollBar().value()
    assert scrolled > 0
    key(qtbot, window, Qt.Key_Q)
    assert own_spans(window, article_id)[0].text_in(text) == "Paragraph"
    assert window.view.verticalScrollBar().value() == scrolled
    cursor = window.view.document().find(" ")
    window.view.setTextCursor(cursor)
    key(qtbot, window, Qt.Key_D)
    assert len(own_spans(window, article_id)) == 1  # spaces alone are never labelled


def test_window_accepted_spans_look_stronger_than_pending_ones(window, qtbot, project):
    _path, ids = project
    inside = find(REPORT, "58th Brigade")[0] + len("58th")  # the space inside the name
    pending = window.view.fill_colour_at(inside)
    window.controller.select(ids["brigade"])
    key(qtbot, window, Qt.Key_A)
    window.controller.select(None)
    accepted = window.view.fill_colour_at(inside)
    assert accepted.lightness() < pending.lightness() < QColor("#fbfaf6").lightness()


def test_window_event_table_reading_shows_and_takes_a_typed_date(window, qtbot):
    select_text(window, "repelled an assault")
    key(qtbot, window, Qt.Key_B)
    [event] = own_spans(window)
    panel = window.span_panel
    if panel.record_button.isVisible():  # the first reading in this process loads the place index
        panel.record_button.click()
    qtbot.waitUntil(lambda: "when:" in panel.record_status.text(), timeout=30000)
    assert "Battles" in panel.record_status.text()
    panel.record_date.setText("2026-03-10")
    qtbot.keyClick(panel.record_date, Qt.Key_Return)
    assert window.store.events.override(event.id)["date"] == "2026-03-10"
    qtbot.waitUntil(lambda: "2026-03-10" in panel.record_status.text() and "reviewer" in panel.record_status.text(),
                    timeout=30000)
    panel.record_date.setText("March")
    qtbot.keyClick(panel.record_date, Qt.Key_Return)
    assert "is not a date" in window.statusBar().currentMessage()
    window.activateWindow()
    window.view.setFocus()
    key(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert window.store.events.override(event.id) is None
