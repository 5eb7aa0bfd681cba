/** `cdktf-keypair-emulator`: serves local emulators of the three clouds' key pair APIs. */
process.stdout.write('cdktf-keypair-emulator: not implemented yet\n');
process.exitCode = 1;
