from .inputs import Evidence, Judgement, StatisticFigure, StatisticsImport
from .monitoring import MonitoringEntry, MonitoringSnapshot
from .report import ReportJob
from .survey import Rating, Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveyResponse
from .year import EvaluationYear, Indicator, NarrativeSection

__all__ = [
    "EvaluationYear", "Evidence", "Indicator", "Judgement", "MonitoringEntry", "MonitoringSnapshot",
    "NarrativeSection", "Rating", "ReportJob", "StatisticFigure", "StatisticsImport", "Survey", "SurveyAnswer",
    "SurveyInvitation", "SurveyQuestion", "SurveyResponse",
]
