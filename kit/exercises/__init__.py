"""The classroom exercises: release the student copies, check practice answers, grade submissions.

    python -m kit release                # exercises/ -> release/student, solutions, instructor
    python -m kit grade submitted/       # -> grades/grades.csv, grades/feedback/<student>.html

The modules, lower ones first (each imports only modules above it in this list; ``release``
and ``grade`` never import each other):

- ``observe``: any value as JSON-able canonical forms (standalone: loaded by file path in
  grading kernels);
- ``keys``: expected answers as salted hashes; ``verdicts``: an answer judged in plain words;
- ``practice``: the student-side ``Grader`` (``from kit.checks import Grader`` in released
  notebooks);
- ``cells``: cell roles, solution regions, loading an exercise; ``versions``: the student,
  solutions, instructor and grading copies; ``leaks``: the release's leak scan;
- ``sandbox``: cells run in a kernel with limits; ``answers``: the solutions run for the
  expected answers and the practice key;
- ``bundle``: the student bundle (a folder to publish as its own repository);
  ``nbgrader_course``: the exercises as an nbgrader course with autograder test cells;
- ``release``; ``grade`` (matching, scoring, a class's folder); ``feedback``: grades.csv and
  feedback pages; ``bench``: the grading benchmark.
"""
