from techbridge.cli import main

main()
