"""xcert: compiles the 1+X certificate catalogue into a static site and publishes signed records."""
