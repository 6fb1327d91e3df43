#!/bin/sh
echo "migrating schema"
echo "migration done"
