"""Every action of the window, built from one table, so menus, shortcuts and the
Help → Keyboard shortcuts list can never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from annotator.domain import Status

# Span-level keys are single letters: they act only while the text or the span panel has focus,
# so typing in the search box or a note never triggers them.
TEXT_SCOPE = "text"
WINDOW_SCOPE = "window"


@dataclass(frozen=True)
class ActionSpec:
    name: str
    menu: str
    text: str
    shortcuts: tuple[str, ...]
    scope: str
    handler: Callable[[], None]
    checkable: bool = False


def action_specs(controller, window) -> list[ActionSpec]:
    c = controller
    specs = [
        ActionSpec("switch_annotator", "&File", "Switch &annotator…", ("Ctrl+Shift+N",), WINDOW_SCOPE,
                   window.ask_annotator),
        ActionSpec("export", "&File", "&Export training data…", ("Ctrl+Shift+E",), WINDOW_SCOPE,
                   window.show_export),
        ActionSpec("quit", "&File", "&Quit", ("Ctrl+Q",), WINDOW_SCOPE, window.close),
        # The window group's undo: the history of whichever window is active (annotation, review, events).
        ActionSpec("undo", "&Edit", "&Undo", ("Ctrl+Z",), WINDOW_SCOPE, window.undo_group.undo),
        ActionSpec("redo", "&Edit", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), WINDOW_SCOPE, window.undo_group.redo),
        ActionSpec("accept", "&Span", "&Accept suggestion", ("A",), TEXT_SCOPE, lambda: c.decide(Status.ACCEPTED)),
        ActionSpec("reject", "&Span", "Re&ject suggestion", ("X",), TEXT_SCOPE, lambda: c.decide(Status.REJECTED)),
        ActionSpec("accept_all", "&Span", "Accept all suggestions of the article", ("Shift+A",), TEXT_SCOPE,
                   c.accept_all),
        ActionSpec("delete", "&Span", "&Delete span (rejects a suggestion)", ("Delete", "Backspace"), TEXT_SCOPE,
                   c.delete_selected),
        ActionSpec("relabel", "&Span", "&Relabel…", ("F2",), TEXT_SCOPE, lambda: c.ask_relabel(window)),
        ActionSpec("next_span", "&Span", "&Next span", ("Tab",), TEXT_SCOPE, lambda: c.step_span(+1)),
        ActionSpec("previous_span", "&Span", "&Previous span", ("Shift+Tab",), TEXT_SCOPE,
                   lambda: c.step_span(-1)),
        ActionSpec("clear_selection", "&Span", "Clear selection", ("Esc",), TEXT_SCOPE, lambda: c.select(None)),
        ActionSpec("start_left", "&Span", "Widen: start one word left", ("Alt+Left",), TEXT_SCOPE,
                   lambda: c.nudge("start", -1)),
        ActionSpec("start_right", "&Span", "Narrow: start one word right", ("Alt+Right",), TEXT_SCOPE,
                   lambda: c.nudge("start", +1)),
        ActionSpec("end_left", "&Span", "Narrow: end one word left", ("Alt+Shift+Left",), TEXT_SCOPE,
                   lambda: c.nudge("end", -1)),
        ActionSpec("end_right", "&Span", "Widen: end one word right", ("Alt+Shift+Right",), TEXT_SCOPE,
                   lambda: c.nudge("end", +1)),
        ActionSpec("modality", "&Event", "Next &modality (happened, planned, …)", ("M",), TEXT_SCOPE,
                   c.cycle_modality),
        ActionSpec("sub_event_type", "&Event", "&Sub-event type…", ("U",), TEXT_SCOPE,
                   lambda: c.choose_sub_event_type(window)),
        ActionSpec("reported_by", "&Event", "&Reported by…", ("Y",), TEXT_SCOPE, lambda: c.ask_reported_by(window)),
        ActionSpec("done", "&Article", "Mark &done and go to next", ("Ctrl+Return", "Ctrl+Enter"), WINDOW_SCOPE,
                   c.mark_done),
        ActionSpec("skip", "&Article", "&Skip to next", ("Ctrl+Shift+Return",), WINDOW_SCOPE, c.skip),
        ActionSpec("flag", "&Article", "&Flag with a note…", ("Ctrl+Shift+F",), WINDOW_SCOPE, lambda: c.flag(window)),
        ActionSpec("next_article", "&Article", "Ne&xt article in the list", ("Ctrl+PgDown",), WINDOW_SCOPE,
                   lambda: c.step_article(+1)),
        ActionSpec("previous_article", "&Article", "Pre&vious article in the list", ("Ctrl+PgUp",), WINDOW_SCOPE,
                   lambda: c.step_article(-1)),
        ActionSpec("suggest_article", "&Article", "Su&ggest for this article", ("Ctrl+G",), WINDOW_SCOPE,
                   window.suggest_current),
        ActionSpec("suggest_all", "&Article", "Suggest for &all articles", ("Ctrl+Shift+G",), WINDOW_SCOPE,
                   window.suggest_all),
        ActionSpec("learn", "&Article", "&Learn from reviewed and finished articles", ("Ctrl+Shift+L",),
                   WINDOW_SCOPE, window.start_learning),
        ActionSpec("learn_stop", "&Article", "Stop learning", ("Ctrl+Alt+L",), WINDOW_SCOPE, window.stop_learning),
        ActionSpec("suggest_stop", "&Article", "Stop suggesting", ("Ctrl+Alt+G",), WINDOW_SCOPE,
                   window.stop_suggesting),
        ActionSpec("find", "&Article", "Fin&d articles…", ("Ctrl+F",), WINDOW_SCOPE, window.focus_search),
        ActionSpec("focus_text", "&View", "Focus the &text", ("Ctrl+E",), WINDOW_SCOPE, window.focus_text),
        ActionSpec("snap", "&View", "S&nap selections to whole words", ("Ctrl+Shift+W",), WINDOW_SCOPE,
                   lambda: c.toggle_snap(window.actions["snap"].isChecked()), checkable=True),
        ActionSpec("agreement", "&Review", "&Agreement between annotators…", ("Ctrl+Shift+K",), WINDOW_SCOPE,
                   window.show_agreement),
        ActionSpec("review", "&Review", "Review disagreements into &gold…", ("Ctrl+Shift+R",), WINDOW_SCOPE,
                   window.show_review),
        ActionSpec("events", "&Review", "&Events: one row per real-world event, on a map…", ("Ctrl+Shift+V",),
                   WINDOW_SCOPE, window.show_events),
        ActionSpec("shortcuts", "&Help", "&Keyboard shortcuts", ("F1",), WINDOW_SCOPE, window.show_shortcuts),
    ]
    for label in controller.scheme.labels:
        specs.append(ActionSpec(f"label:{label.name}", "&Labels", f"{label.name} ({label.layer.value})",
                                (label.key.upper(),), TEXT_SCOPE,
                                lambda name=label.name: c.label_key(name)))
    for role in controller.scheme.roles:
        specs.append(ActionSpec(f"role:{role.name}", "&Event", f"Link selected span as {role.name} of the event",
                                (role.key,), TEXT_SCOPE, lambda name=role.name: c.link(name)))
    return specs


def resolve_shortcuts(specs: list[ActionSpec]) -> dict[str, tuple[str, ...]]:
    """Each action's keys. A scheme's label and role keys are what annotators learn, so when one
    is also a fixed single key (M in a scheme with a MOVEMENT label), the fixed action moves to
    Ctrl+Alt+<key> instead; no key ever triggers two actions."""
    scheme_keys = {k.upper() for spec in specs if spec.name.startswith(("label:", "role:")) for k in spec.shortcuts}
    resolved = {}
    for spec in specs:
        keys = spec.shortcuts
        if not spec.name.startswith(("label:", "role:")):
            keys = tuple(f"Ctrl+Alt+{k}" if k.upper() in scheme_keys else k for k in keys)
        resolved[spec.name] = keys
    return resolved


def build_actions(controller, window, text_widgets) -> dict[str, QAction]:
    """Create the actions, attach the text-scoped ones to ``text_widgets``, return them by name."""
    built: dict[str, QAction] = {}
    specs = action_specs(controller, window)
    shortcuts = resolve_shortcuts(specs)
    for spec in specs:
        action = QAction(spec.text, window)
        action.setObjectName(spec.name)
        action.setShortcuts([QKeySequence(s) for s in shortcuts[spec.name]])
        action.setCheckable(spec.checkable)
        action.triggered.connect(lambda _checked=False, handler=spec.handler: handler())
        if spec.scope == TEXT_SCOPE:
            action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            for widget in text_widgets:
                widget.addAction(action)
        else:
            action.setShortcutContext(Qt.WindowShortcut)
            window.addAction(action)
        action.setProperty("menu", spec.menu)
        built[spec.name] = action
    return built


def shortcut_rows(actions: dict[str, QAction]) -> list[tuple[str, str, str]]:
    """(menu, action, keys) for the help table: the main window's in menu order, then the review
    and events windows' keys from their tables below."""
    rows = []
    for action in actions.values():
        keys = ", ".join(s.toString(QKeySequence.NativeText) for s in action.shortcuts())
        rows.append((action.property("menu").replace("&", ""), action.text().replace("&", ""), keys))
    for where, table in (("Review window", REVIEW_KEYS), ("Events window", EVENT_KEYS)):
        for key in table:
            shown = [QKeySequence(k).toString(QKeySequence.NativeText) for k in key.keys]
            rows.append((where, key.text, f"{shown[0]}–{shown[-1]}" if key.numbered else ", ".join(shown)))
    return rows


@dataclass(frozen=True)
class WindowKey:
    """A key of the review or events window: the window's method it calls (with ``arguments``), for
    the window to build its action from and for F1 to list.

    :param numbered: one key per digit; the method gets the digit's position (1 → 0)
    """

    method: str
    text: str
    keys: tuple[str, ...]
    arguments: tuple = ()
    numbered: bool = False


REVIEW_KEYS = (
    WindowKey("take_version", "Take version 1–9 into gold", tuple("123456789"), numbered=True),
    WindowKey("step_disagreement", "Next disagreement", ("N",), (1,)),
    WindowKey("step_disagreement", "Previous disagreement", ("P",), (-1,)),
    WindowKey("add_own_span", "Add your own span (the label chosen below)", ("A",)),
    WindowKey("relabel_gold", "Relabel the gold span", ("L",)),
    WindowKey("reshape_gold", "Bounds of the gold span from the text selection", ("B",)),
    WindowKey("cycle_modality", "Next modality of the gold event", ("M",)),
    WindowKey("delete_gold", "Remove the gold span", ("Delete",)),
    WindowKey("finish", "Finish the article (gold done) and open the next", ("Ctrl+Return", "Ctrl+Enter")),
    WindowKey("reload_queue", "Reload the queue", ("F5",)),
    WindowKey("undo", "Undo", ("Ctrl+Z",)),
    WindowKey("redo", "Redo", ("Ctrl+Shift+Z", "Ctrl+Y")),
    WindowKey("close", "Close the window", ("Ctrl+W",)),
)
EVENT_KEYS = (
    WindowKey("confirm_selected", "Confirm the selected event", ("C",)),
    WindowKey("split_selected", "Split the selected reports off as another event", ("S",)),
    WindowKey("merge_selected", "Merge the selected events", ("G",)),
    WindowKey("refresh", "Recompute the table", ("F5",)),
    WindowKey("undo", "Undo", ("Ctrl+Z",)),
    WindowKey("redo", "Redo", ("Ctrl+Shift+Z", "Ctrl+Y")),
    WindowKey("close", "Close the window", ("Esc", "Ctrl+W")),
)


def build_window_keys(window, table: tuple[WindowKey, ...]) -> list[QAction]:
    """The actions of ``table`` on ``window`` (window-wide shortcuts), as F1 lists them."""
    built = []
    for key in table:
        method = getattr(window, key.method)
        groups = ([((k,), (n,)) for n, k in enumerate(key.keys)] if key.numbered
                  else [(key.keys, key.arguments)])
        for keys, arguments in groups:
            action = QAction(key.text, window)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.WindowShortcut)
            # triggered() passes "checked" first: it must not land in the method's parameters.
            action.triggered.connect(lambda _checked=False, method=method, arguments=arguments: method(*arguments))
            window.addAction(action)
            built.append(action)
    return built
