"""The product's command lines (KPI tables, the audit trail, control charts) and the one way they
report a refused command. ``python -m dashboard.kpi_cli``, ``dashboard.audit`` and
``dashboard.spc`` run them from the entry points scripts already use."""
