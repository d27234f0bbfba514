// The Rules stage; see docs/rules.md.
