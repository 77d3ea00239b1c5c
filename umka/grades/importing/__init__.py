"""Grades as a kind of the tabular import (umka.imports): the columns of a journal
export, the planner that checks every row, the applier, and the registration."""
