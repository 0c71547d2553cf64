from .audit import Audit
from .experts import ExpertProfile, ReviewConfig
from .panels import Assignment, ConflictDeclaration, Criterion, Panel, Rubric, Score, ScoreItem
from .publicity import Objection, Publicity, PublicityEntry, SupportList, SupportListEntry
from .results import AwardProposal, ReviewResult

__all__ = [
    "Assignment", "Audit", "AwardProposal", "ConflictDeclaration", "Criterion", "ExpertProfile", "Objection",
    "Panel", "Publicity", "PublicityEntry", "ReviewConfig", "ReviewResult", "Rubric", "Score", "ScoreItem",
    "SupportList", "SupportListEntry",
]
