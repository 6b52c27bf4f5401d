"""Pure figure maths and text rules: financial periods, the RAG rule, control charts, funnel
limits, number formats, safe text, the vocabulary and the charts built from them. No Streamlit and
no database, so the same rule serves the pages, the packs and the command lines."""
