"""Render: plan every page, then write Markdown and charts into a staging folder."""
