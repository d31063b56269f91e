"""Inter-annotator agreement: span F1, Cohen's kappa, Krippendorff's alpha (Qt-free)."""

from annotator.agreement.report import (
    ARGUMENTS,
    ENTITIES,
    EVENTS,
    MEASURED_UNITS,
    AgreementReport,
    BlindSplit,
    blind_split,
    compute_agreement,
)

__all__ = ["ARGUMENTS", "ENTITIES", "EVENTS", "MEASURED_UNITS", "AgreementReport", "BlindSplit", "blind_split",
           "compute_agreement"]
