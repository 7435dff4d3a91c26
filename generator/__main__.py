from generator.adapters.cli import main

main()
