"""Value curves: raw numbers (pay, minutes, hours) turned into 0-10 scores."""
