"""Real servers the tests start themselves: each a subprocess on a free port,
waited for, and stopped at the end."""
