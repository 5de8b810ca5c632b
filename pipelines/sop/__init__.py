"""The SOP tracker: the SOP definitions and working-day calendar, the yearly cycles, step transitions, evidence, what the data shows done, performance across cycles."""
