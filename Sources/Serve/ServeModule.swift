enum ServeModule {}
