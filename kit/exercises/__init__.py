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
- ``sandbox``: cells run in a kernel with limits; ``worker``: inside a grading sandbox, a
  notebook's runs from a JSON plan; ``untrusted``: what a sandbox returns, validated;
  ``cleanup``: temporary folders and sandboxes gone on SIGTERM/SIGINT; ``jail``: one
  bubblewrap sandbox per notebook; ``expected``: expected answers checked by kind;
  ``perturb``: the perturbed copy of the data; ``answers``: the solutions run (in sandboxes)
  for the expected answers and the practice key;
- ``names``: students' names and text made safe; ``integrity``: fingerprints before and after;
  ``journal``: finished notebooks kept for ``--resume``; ``submissions``: finding them;
- ``bundle``: the student bundle (a folder to publish as its own repository);
  ``nbgrader_course``: the exercises as an nbgrader course with autograder test cells;
- ``release``; ``grade`` (matching, scoring, a class's folder); ``feedback``: grades.csv and
  feedback pages; ``bench``: the grading benchmark.
"""
