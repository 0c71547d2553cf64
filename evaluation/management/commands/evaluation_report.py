from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluation.models import EvaluationYear
from evaluation.report.render import report_files
from evaluation.scoring import fmt


class Command(BaseCommand):
    help = "Write the self-evaluation report (PDF) and the self-evaluation table (XLSX) of a year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--pdf", type=Path, help="where to write the PDF")
        parser.add_argument("--xlsx", type=Path, help="where to write the XLSX")

    def handle(self, *args, year, pdf, xlsx, **options):
        if not (pdf or xlsx):
            raise CommandError("Give --pdf FILE and/or --xlsx FILE.")
        evaluation_year = EvaluationYear.objects.filter(year=year).first()
        if evaluation_year is None:
            raise CommandError(f"There is no evaluation year {year}.")
        pdf_bytes, xlsx_bytes, context = report_files(evaluation_year)
        if pdf:
            pdf.write_bytes(pdf_bytes)
            self.stdout.write(f"PDF: {pdf} ({len(pdf_bytes)} bytes)")
        if xlsx:
            xlsx.write_bytes(xlsx_bytes)
            self.stdout.write(f"XLSX: {xlsx} ({len(xlsx_bytes)} bytes)")
        total = context["result"].total
        grade = context["result"].grade_label or f"not graded ({total.missing_count} indicators without data)"
        self.stdout.write(self.style.SUCCESS(f"{year}: {fmt(total.points)} of {fmt(total.weight)} points, {grade}"))
