"""Papers for meetings: the board pack and the scrutiny pack as PDF, and Excel workbooks of the
same tables, built from the same figures and chart functions the pages use."""
