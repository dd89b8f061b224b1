"""The register the national team runs on: organisations from the Organisation Data Service
(ODS), the specialists in post (the team's roster and accepted cases), the matching of a case to
its ODS code, the cross-record facts the rules read, coverage, and the UK GDPR Article 14
privacy notices to the people named.

Modules: :mod:`register.ods` (ODS CSV import), :mod:`register.names` (proper case, match keys),
:mod:`register.matching` (a case's ODS code), :mod:`register.roster` (the roster import),
:mod:`register.facts` (what the cross-record rules read), :mod:`register.dates` (a stated
start date), :mod:`register.export` (the register as rows and CSV), :mod:`register.coverage`,
:mod:`register.notices`, :mod:`register.cli`. Depends on ``store``, ``validation``,
``parsing`` and ``replies``; never on ``pss_intake`` or ``review``.
"""
