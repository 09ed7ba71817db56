"""Site pages: the code of conduct, the guidelines and "about", edited by staff with history."""
