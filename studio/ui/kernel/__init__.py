"""The kernel the studio runs project code in, seen from the GUI."""
