from psc_looper.cli import main

raise SystemExit(main())
