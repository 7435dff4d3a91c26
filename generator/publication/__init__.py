"""The electronic publication "Điển hình tiên tiến toàn tỉnh": web book, PDF and EPUB."""
