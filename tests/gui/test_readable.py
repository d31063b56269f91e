"""What the main window shows must be readable: one title rule for heading and list, no empty
screen after the text, fillers named in the arguments box, tags inside the text view. The texts
here are invented for these tests."""

from __future__ import annotations

from conftest import open_test_window
from fixtures import REPORT, find
from PySide6.QtCore import Qt

from annotator.importers import import_paths
from annotator.domain import Layer, Status
from annotator.store import Store

BULLETED = ("- Ukrainian forces will hold the bridge at Novi Brod until the convoy passes, an officer said.\n"
            "- Residents were told to stay indoors.\n")


def list_title(window, article_id) -> str:
    model = window.article_list.model
    return model.data(model.index(model.row_of(article_id), 1))


def test_readable_bulleted_txt_gets_the_same_title_in_heading_and_list(qtbot, tmp_path, home, answers):
    source = tmp_path / "bulleted.txt"
    source.write_text(BULLETED, encoding="utf-8")
    path = tmp_path / "p.sqlite"
    with Store.open(path) as store:
        import_paths(store, [source])
        [article_id] = [a.id for a in store.articles.list("ana", offset=0, limit=5)]
    window = open_test_window(qtbot, path)
    try:
        window.controller.open_article(article_id)
        heading = window.heading.text()
        assert heading.startswith("Ukrainian forces will hold the bridge")  # the line, not "Article 1"
        assert list_title(window, article_id) == heading
    finally:
        window.close()
        window.store.close()


def test_readable_text_without_words_gets_a_dated_headline(qtbot, tmp_path, home, answers):
    path = tmp_path / "p.sqlite"
    with Store.open(path) as store:
        article_id, _ = store.articles.add("\n\n— 🇺🇦 —\n", published="2022-06-24")
        store.articles.add("Ceasefire holds in Lakeport.", title="Ceasefire")
    window = open_test_window(qtbot, path)
    try:
        window.controller.open_article(article_id)
        assert window.heading.text() == "— 🇺🇦 —"  # still the text's own first line
        with Store.open(path) as store:
            blank, _ = store.articles.add(" \n\n ", published="2022-06-24")
        assert window.controller.check_external_changes()
        model = window.article_list.model
        qtbot.waitUntil(lambda: model.row_of(blank) is not None)  # the list follows a moment later
        window.controller.open_article(blank)
        assert window.heading.text() == "Article of 2022-06-24"
        assert list_title(window, blank) == "Article of 2022-06-24"
    finally:
        window.close()
        window.store.close()


def test_readable_trailing_blank_lines_are_not_shown_and_spans_keep_offsets(qtbot, tmp_path, home, answers):
    text = "Shelling hit Velyka Dolyna on Tuesday.\r\n" + "\r\n" * 40
    path = tmp_path / "p.sqlite"
    with Store.open(path) as store:
        article_id, _ = store.articles.add(text, title="Shelling")
    window = open_test_window(qtbot, path)
    try:
        assert window.controller.session.article.id == article_id
        assert window.view.toPlainText() == "Shelling hit Velyka Dolyna on Tuesday."
        window.view.select_offsets(*find(text, "Tuesday"))
        qtbot.keyClick(window.view, Qt.Key_D)
        [span] = window.store.spans.for_article(article_id, "ana")
        assert (span.start_char, span.end_char) == find(text, "Tuesday")
        assert window.store.articles.get(article_id).text == text  # the stored text keeps its tail
    finally:
        window.close()
        window.store.close()


def long_label_spans(text: str, label: str) -> list:
    from annotator.domain import Origin, Span

    spans, start = [], 0
    for i, word in enumerate(text.split(" ")):
        spans.append(Span(id=i + 1, article_id=1, start_char=start, end_char=start + len(word), label=label,
                          layer=Layer.EVENT, origin=Origin.SUGGESTED, status=Status.PENDING if i % 2 else Status.ACCEPTED))
        start += len(word) + 1
    return spans


def test_readable_label_tags_stay_inside_the_text_view(qtbot):
    from annotator.gui.article_view import ArticleView

    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(420, 300)
    view.set_colours({"EXPLOSIONS_REMOTE_VIOLENCE": "#c2410c"})
    text = "shelled struck hit fired shelled struck hit fired shelled struck hit fired"
    view.set_article(text, long_label_spans(text, "EXPLOSIONS_REMOTE_VIOLENCE"))
    view.show()
    qtbot.waitExposed(view)
    for width in (420, 150):  # a normal column, and one narrower than the label itself
        view.resize(width, 300)
        view.painted_tags = []
        view.viewport().repaint()
        qtbot.waitUntil(lambda: bool(view.painted_tags))
        area = view.viewport().rect()
        outside = [(i, r) for i, r in view.painted_tags if r.left() < 0 or r.right() > area.width()]
        assert not outside, f"tags cut off at {width}px: {outside[:3]}"
    # An abbreviated tag still names the label in full when the mouse rests on it.
    span_id, rect = view.painted_tags[0]
    assert view.tag_at(rect.center()) == span_id


def test_readable_arguments_box_names_an_accepted_fillers_text_and_label(window, qtbot, project):
    _path, ids = project
    c = window.controller
    c.select(ids["plant"])
    qtbot.keyClick(window.view, Qt.Key_A)  # the suggested TARGET is accepted; the event stays pending
    assert ids["plant"] not in c.session.spans_by_id  # hidden behind the annotator's copy
    c.select(ids["fire"])
    rows = [window.span_panel.arguments.item(i).text() for i in range(window.span_panel.arguments.count())]
    assert sorted(rows) == ["LOCATION: “Velyka Dolyna”  LOCATION", "TARGET: “municipal water plant”  FACILITY"]


def needed(widget_font, text: str, bold: bool = False) -> float:
    from PySide6.QtGui import QFont, QFontMetrics

    font = QFont(widget_font)
    font.setBold(bold)
    return QFontMetrics(font).horizontalAdvance(text)


def test_readable_span_table_and_article_list_show_labels_and_origins_uncut(window, qtbot):
    panel = window.span_panel
    table, model, header = panel.table, panel.model, panel.table.horizontalHeader()
    assert model.rowCount() > 0
    longest = max((label.name for label in panel.scheme.labels), key=len)
    assert needed(table.font(), longest, bold=True) < header.sectionSize(0)
    for row in range(model.rowCount()):
        for column in (0, 2, 3):  # label, status, origin
            shown = model.data(model.index(row, column))
            assert needed(table.font(), shown, bold=column == 0) < header.sectionSize(column), shown
    # Who suggested it moved from the cell to the tooltip.
    tip = model.data(model.index(0, 3), Qt.ToolTipRole)
    assert "test-suggester 1.0" in tip and "suggested" in tip
    combo = window.article_list.label_filter
    assert needed(combo.font(), "STRATEGIC_DEVELOPMENTS") < combo.width() - 20


def test_readable_missing_emoji_font_is_named_once_in_the_status_bar(qtbot, project, answers, monkeypatch):
    from annotator.gui import fonts

    monkeypatch.setattr(fonts, "installed_families", lambda: ["DejaVu Sans"])
    path, _ids = project
    first = open_test_window(qtbot, path)
    try:
        assert fonts.EMOJI_PACKAGE in first.statusBar().currentMessage()
    finally:
        first.close()
        first.store.close()
    second = open_test_window(qtbot, path)
    try:
        assert fonts.EMOJI_PACKAGE not in second.statusBar().currentMessage()  # said once is enough
    finally:
        second.close()
        second.store.close()


def test_readable_bundled_samples_show_no_markup_and_each_has_a_title(tmp_path):
    import re

    from annotator.importers import import_samples

    with Store.open(tmp_path / "samples.sqlite") as store:
        assert import_samples(store).imported == 7
        summaries = store.articles.list("ana", offset=0, limit=10)
        for summary in summaries:
            article = store.articles.get(summary.id)
            assert article.title, summary.title  # the heading is the article's own headline
            assert not re.search(r"</?[a-z]+[ >]|&[a-z]+;", article.text), article.title
